/**
 * A progress bar on stderr: redrawn in place on a terminal, one line every few seconds otherwise
 * (CI logs, `2> file`), so that a long generation shows it is alive without flooding the log.
 */

export interface Progress {
  update(done: number, extra?: string): void;
  finish(extra?: string): void;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressBar(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  let lastDraw = 0;
  const width = 30;
  const draw = (done: number, extra: string, final: boolean) => {
    const elapsed = performance.now() - started;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Infinity;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `${label} ${bar} ${(fraction * 100).toFixed(1).padStart(5)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` +
      `${extra ? ` · ${extra}` : ''} · ${duration(elapsed)}${final ? '' : ` · ETA ${duration(eta)}`}`;
    if (tty) process.stderr.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    else process.stderr.write(`${text}\n`);
  };
  return {
    update(done, extra = '') {
      if (options.quiet) return;
      const now = performance.now();
      if (now - lastDraw < (tty ? 150 : 5000)) return;
      lastDraw = now;
      draw(done, extra, false);
    },
    finish(extra = '') {
      if (!options.quiet) draw(total, extra, true);
    },
  };
}
