import { periodic } from '../jobs/periodic.js';
import type { Consent } from 'fhir/r4';
import { DMP_CREATION } from '../access/codes.js';
import { holdersOfRow } from '../access/read-access.js';
import type { AuditLogger } from '../audit/senders.js';
import type { Store, StoredRow } from '../store/store.js';
import { closureDate } from './closure-rule.js';
import { destroyHolder, type Destruction } from './destruction.js';

/**
 * R9.3: ten years after a DMP was closed, the holder's data are destroyed (destruction.ts). A job
 * like the audit scheduler (audit/scheduler.ts): `tick(now)` runs it once as of `now` (tests move
 * the injected clock), `start()` runs it on a timer, `stop()` waits for a run in progress.
 *
 * A DMP is due when the holder has dmp-creation Consents, none active (a reopened DMP is kept),
 * and the latest closure among them is more than ten calendar years (UTC) before `now`. The closure
 * instant is the end of `provision.period.end` (R9.1 makes it required), or, for a closure written
 * without it, the time that version was stored. Candidates are found through indexed access facts
 * (`sec.category`, `sec.status`) and the Consent `period` search index.
 */

export const RETENTION_YEARS = 10;

export interface RetentionOptions {
  store: Store;
  clock: () => Date;
  baseUrl: string;
  logger?: AuditLogger;
  /** Pause between runs of the timer (default: six hours). */
  intervalMs?: number;
  /** Rows read per page. */
  pageSize?: number;
}

export interface RetentionReport {
  /** The holders destroyed by this run. */
  destroyed: Destruction[];
}

export interface RetentionJob {
  tick(now?: Date): Promise<RetentionReport>;
  start(): void;
  stop(): Promise<void>;
}

/** `now` minus ten calendar years (UTC; from 29 February, Date rolls over to 1 March). */
export function retentionCutoff(now: Date): string {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS);
  return cutoff.toISOString();
}

/** When this closed dmp-creation Consent closed the DMP, as an ISO instant. */
export function closedAt(row: StoredRow): string {
  const hi = (row.idx.period as Array<{ hi?: string }> | undefined)?.find((p) => typeof p?.hi === 'string')?.hi;
  if (hi && closureDate(row.resource as Consent | undefined)) return hi;
  return row.lastUpdated;
}

/** The latest closure of a holder whose every dmp-creation Consent is inactive; undefined if one is active (or none is). */
export function latestClosure(consents: readonly StoredRow[]): StoredRow | undefined {
  if (consents.length === 0 || consents.some((row) => (row.sec as { status?: string }).status === 'active')) return undefined;
  const closed = consents.filter((row) => (row.sec as { status?: string }).status === 'inactive');
  return closed.sort((a, b) => (closedAt(a) < closedAt(b) ? 1 : closedAt(a) > closedAt(b) ? -1 : 0))[0];
}

/** Holders whose DMP closed before the cutoff, each with the closure the destruction is recorded for. */
export async function dueHolders(store: Store, now: Date, pageSize = 500): Promise<Array<{ holder: string; closure: StoredRow }>> {
  const cutoff = retentionCutoff(now);
  const filter = {
    'sec.category': DMP_CREATION,
    'sec.status': 'inactive',
    $or: [{ 'idx.period.hi': { $lt: cutoff } }, { lastUpdated: { $lt: cutoff } }],
  };
  const candidates = new Set<string>();
  for (let skip = 0; ; skip += pageSize) {
    const page = await store.find('Consent', { filter, sort: [['id', 1]], skip, limit: pageSize });
    for (const row of page) for (const holder of holdersOfRow(row)) candidates.add(holder);
    if (page.length < pageSize) break;
  }
  const due: Array<{ holder: string; closure: StoredRow }> = [];
  for (const holder of candidates) {
    const consents = await store.find('Consent', { filter: { 'sec.category': DMP_CREATION, 'sec.patient': holder } });
    const closure = latestClosure(consents);
    if (closure && closedAt(closure) < cutoff) due.push({ holder, closure });
  }
  return due;
}

export function createRetentionJob(options: RetentionOptions): RetentionJob {
  const intervalMs = options.intervalMs ?? 6 * 3_600_000;

  const job: RetentionJob = {
    async tick(now = options.clock()) {
      const destroyed: Destruction[] = [];
      for (const { holder, closure } of await dueHolders(options.store, now, options.pageSize)) {
        try {
          destroyed.push(await destroyHolder(options, holder, closure, now));
        } catch (error) {
          // one holder's failure must not keep the others' data beyond their term; retried next run
          options.logger?.warn({ err: error }, `retention: the destruction of a closed DMP failed (${holder})`);
        }
      }
      return { destroyed };
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
  const loop = periodic(() => job.tick(), intervalMs, (error) => options.logger?.warn({ err: error }, 'retention run failed'));
  return job;
}
