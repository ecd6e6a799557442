/**
 * A job run every `intervalMs` in the background, one run at a time, that never keeps the process
 * alive and lets `stop()` wait for a run in progress. A failed run is logged and retried at the next
 * interval.
 */
export interface Periodic {
  start(): void;
  stop(): Promise<void>;
}

export function periodic(run: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run()
        .catch(onError)
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
