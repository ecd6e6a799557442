import type { Store } from '../store/store.js';
import { claim, delivered, dueEntries, reschedule, type OutboxEntry } from './outbox.js';
import type { AuditLogger, NotificationSender } from './senders.js';

/**
 * Delivers the outbox (outbox.ts) through one sender, off the request path: the app starts it and
 * stops it in `onClose`. Each poll takes the due rows, claims each (so two nodes never deliver the
 * same row at once), sends, and purges on success or reschedules with exponential backoff. A
 * receiver that is down only delays deliveries; no request ever waits for one.
 */

export interface DispatcherOptions {
  store: Store;
  sender: NotificationSender;
  /** For due dates and backoff (Services.clock); polling itself runs on real timers. */
  clock?: () => Date;
  logger?: AuditLogger;
  /** Pause between polls. */
  intervalMs?: number;
  /** Rows taken per poll, delivered concurrently. */
  batchSize?: number;
  /** How long a claimed row stays hidden from other nodes while it is being delivered. */
  leaseMs?: number;
  /** First retry delay, doubled at each failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** After this many failed attempts a row is marked `failed` and left for an operator. */
  maxAttempts?: number;
}

export interface DispatchReport {
  delivered: number;
  failed: number;
}

/** Delay before attempt `attempts + 1`: base, 2×base, 4×base, … capped. */
export function backoffDelay(attempts: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

export class NotificationDispatcher {
  private readonly store: Store;
  private readonly sender: NotificationSender;
  private readonly clock: () => Date;
  private readonly logger?: AuditLogger;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(options: DispatcherOptions) {
    this.store = options.store;
    this.sender = options.sender;
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger;
    this.intervalMs = options.intervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 3_600_000;
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  /** Starts polling; the timer does not keep the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops polling and waits for the delivery under way (undelivered rows stay in the outbox). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One poll: every row due now, delivered or rescheduled. Tests call it directly. */
  async runOnce(): Promise<DispatchReport> {
    const now = this.clock();
    const entries = await dueEntries(this.store, now, this.batchSize);
    const results = await Promise.all(entries.map((entry) => this.deliver(entry, now)));
    return {
      delivered: results.filter((r) => r === 'delivered').length,
      failed: results.filter((r) => r === 'failed').length,
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.logger?.warn({ err: error }, 'notification outbox poll failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  private async deliver(entry: OutboxEntry, now: Date): Promise<'delivered' | 'failed' | 'skipped'> {
    const claimed = await claim(this.store, entry, now, this.leaseMs);
    if (!claimed) return 'skipped';
    try {
      await this.sender.send(claimed.communication);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempts = claimed.facts.attempts;
      const delay = attempts >= this.maxAttempts ? undefined : backoffDelay(attempts, this.baseDelayMs, this.maxDelayMs);
      this.logger?.warn(
        { notification: claimed.row.id, sender: this.sender.name, attempts, error: message },
        delay === undefined ? 'notification delivery abandoned' : 'notification delivery failed; will retry',
      );
      await reschedule(this.store, claimed, this.clock(), delay, message);
      return 'failed';
    }
    await delivered(this.store, claimed);
    return 'delivered';
  }
}
