import { periodic } from '../jobs/periodic.js';
import { randomUUID } from 'node:crypto';
import type { DocumentReference } from 'fhir/r4';
import { oneMonthBefore } from '../access/calendar.js';
import { INVISIBLE_TO_PATIENT } from '../access/codes.js';
import type { SecFacts } from '../access/facts.js';
import { VersionConflictError, type Store, type StoredRow } from '../store/store.js';
import { SERVER_ACTOR } from './audit-agents.js';
import { buildAuditEvent } from './audit-event.js';
import { newRowWrite } from './audit-row.js';
import { SERVER_NAME } from './codes.js';
import { invisibleUnreleasedId } from './communication.js';
import { invisibleUnreleasedNotification, notificationWrites } from './notifications.js';
import type { AuditLogger } from './senders.js';

/**
 * Time-based notifications, run by a timer in the app and by `tick(now)` in tests (the clock is
 * injected, never read here). One job today: R5.3, two weeks after an INVISIBLE_PATIENT deposit
 * still unreleased, the holder is told to see a professional, once per document.
 *
 * Candidates come from the access facts of DocumentReference rows (access/facts.ts): `sec.labels`
 * holds INVISIBLE_PATIENT while unreleased (indexed), `sec.deposited` the first store time (which
 * updates keep), `sec.patient` the holder. A document past one month is released by R5.3 itself and
 * needs no notice. "Once" is the store's doing: the Communication id derives from the document id,
 * so a second tick, or a second node, conflicts instead of notifying again. Each notice is traced
 * by an AuditEvent of the server (agent = this server) naming the holder and the document by
 * reference only (R5.5), committed with the Communication and its outbox row.
 */

export const TWO_WEEKS_MS = 14 * 86_400_000;

export interface SchedulerOptions {
  store: Store;
  clock: () => Date;
  baseUrl: string;
  logger?: AuditLogger;
  /** Pause between runs of the timer. */
  intervalMs?: number;
  /** Candidates read per page. */
  pageSize?: number;
}

export interface TickReport {
  invisibleUnreleased: number;
}

export interface AuditScheduler {
  /** Runs every job once as of `now` (the injected clock when omitted). */
  tick(now?: Date): Promise<TickReport>;
  start(): void;
  stop(): Promise<void>;
}

const CLOSED_STATUSES = new Set(['superseded', 'entered-in-error']);

function holderOf(row: StoredRow): string | undefined {
  const patient = (row.sec as SecFacts).patient;
  return typeof patient === 'string' ? patient : undefined;
}

async function notifyOne(options: SchedulerOptions, row: StoredRow, holder: string, now: Date): Promise<boolean> {
  const { store, baseUrl } = options;
  if (await store.read('Communication', invisibleUnreleasedId(row.id))) return false;
  const auditEventId = randomUUID();
  const labels = (row.sec as SecFacts).labels ?? [];
  const planned = await invisibleUnreleasedNotification(store, { id: row.id, holder, labels }, auditEventId, now);
  const event = buildAuditEvent({
    id: auditEventId,
    interaction: 'operation',
    operation: 'notify-invisible-unreleased',
    recorded: now,
    outcome: '0',
    rule: 'R5.3',
    caller: SERVER_ACTOR,
    client: { clientId: SERVER_NAME },
    accessMode: 'normal',
    baseUrl,
    patients: [holder],
    entities: [{ type: 'DocumentReference', id: row.id, versionId: row.versionId }],
  });
  try {
    await store.commit([newRowWrite(event, auditEventId, now), ...notificationWrites([planned], now)]);
    return true;
  } catch (error) {
    if (error instanceof VersionConflictError) return false; // another node sent it first
    throw error;
  }
}

/** R5.3: documents deposited between one month and two weeks ago, still labelled, each told once. */
export async function notifyInvisibleUnreleased(options: SchedulerOptions, now: Date): Promise<number> {
  const { store } = options;
  const pageSize = options.pageSize ?? 200;
  const filter = {
    'sec.labels': INVISIBLE_TO_PATIENT,
    'sec.deposited': { $lte: new Date(now.getTime() - TWO_WEEKS_MS).toISOString(), $gt: oneMonthBefore(now) },
  };
  let sent = 0;
  for (let skip = 0; ; skip += pageSize) {
    const page = await store.find('DocumentReference', { filter, sort: [['sec.deposited', 1]], skip, limit: pageSize });
    for (const row of page) {
      const holder = holderOf(row);
      const status = (row.resource as DocumentReference | undefined)?.status;
      if (!holder || (status && CLOSED_STATUSES.has(status))) continue;
      if (await notifyOne(options, row, holder, now)) sent++;
    }
    if (page.length < pageSize) return sent;
  }
}

export function createScheduler(options: SchedulerOptions): AuditScheduler {
  const intervalMs = options.intervalMs ?? 60_000;

  const scheduler: AuditScheduler = {
    async tick(now = options.clock()) {
      return { invisibleUnreleased: await notifyInvisibleUnreleased(options, now) };
    },
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
  const loop = periodic(() => scheduler.tick(), intervalMs, (error) => options.logger?.warn({ err: error }, 'scheduled notifications failed'));
  return scheduler;
}
