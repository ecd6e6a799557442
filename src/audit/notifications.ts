import { randomUUID } from 'node:crypto';
import type { Communication } from 'fhir/r4';
import type { AccessContext } from '../access/access-context.js';
import { INVISIBLE_TO_REPS } from '../access/codes.js';
import { isProfessionalRole } from '../access/kinds.js';
import type { RowWrite, Store } from '../store/store.js';
import { newRowWrite } from './audit-row.js';
import type { AccessMode, AuditOutcome, NotificationKind } from './codes.js';
import { buildCommunication, firstAccessId, invisibleUnreleasedId } from './communication.js';
import { outboxWrite } from './outbox.js';
import { representatives } from './recipients.js';

/**
 * Which notifications (R10.2) a request creates, decided from what the request did:
 * - `dmp-opened`: it created an active dmp-creation Consent (R2.4);
 * - `first-access`: a professional (RPPS) reached a holder's data for the first time: once per RPPS
 *   per holder, enforced by the store through a Communication id derived from both (a second one
 *   conflicts), so no index and no in-process memory is involved;
 * - `break-glass` / `regulator-access`: every request under emergency access, one per holder
 *   reached, no de-duplication (D26, R6.4);
 * - `invisible-unreleased` comes from the scheduler (scheduler.ts), once per document.
 * Only successful requests notify. Each notification is a Communication row plus its outbox row,
 * committed with the request's AuditEvent (D25: they add no event of their own).
 */

export interface PlannedNotification {
  id: string;
  communication: Communication;
  /** Sent at most once: its id is derived, and a conflict on it means another request sent it. */
  once: boolean;
}

export interface RequestFacts {
  store: Store;
  now: Date;
  auditEventId: string;
  caller?: AccessContext;
  outcome: AuditOutcome;
  /** Holders whose data the request read or wrote. */
  reached: readonly string[];
  accessMode: AccessMode;
  /** Holders reached through emergency access (the access decision's `emergencyHolders`). */
  emergency: readonly string[];
  /** Holders whose DMP this request opened. */
  opened: readonly string[];
}

type Recipients = (holder: string) => Promise<string[]>;

function cachedRepresentatives(store: Store, now: Date): Recipients {
  const cache = new Map<string, Promise<string[]>>();
  return (holder) => {
    let reps = cache.get(holder);
    if (!reps) cache.set(holder, (reps = representatives(store, holder, now)));
    return reps;
  };
}

async function plan(
  kind: NotificationKind,
  holder: string,
  facts: RequestFacts,
  reps: Recipients,
  id: string = randomUUID(),
): Promise<PlannedNotification> {
  const professional = kind === 'first-access' ? { rpps: facts.caller?.rpps, profession: facts.caller?.profession } : undefined;
  const communication = buildCommunication({
    kind,
    holder,
    reps: await reps(holder),
    auditEventId: facts.auditEventId,
    sent: facts.now,
    ...(professional ? { professional } : {}),
  });
  return { id, communication, once: kind === 'first-access' };
}

async function firstAccesses(facts: RequestFacts, reps: Recipients): Promise<PlannedNotification[]> {
  const { caller, store } = facts;
  if (!caller?.rpps || !isProfessionalRole(caller.role)) return [];
  const planned: PlannedNotification[] = [];
  for (const holder of new Set([...facts.reached, ...facts.emergency])) {
    const id = firstAccessId(holder, caller.rpps);
    // a tombstone counts too: the holder was notified, even if they later deleted the notice
    if (await store.read('Communication', id)) continue;
    planned.push(await plan('first-access', holder, facts, reps, id));
  }
  return planned;
}

export async function requestNotifications(facts: RequestFacts): Promise<PlannedNotification[]> {
  if (facts.outcome !== '0') return [];
  const reps = cachedRepresentatives(facts.store, facts.now);
  const planned: PlannedNotification[] = [];
  for (const holder of new Set(facts.opened)) planned.push(await plan('dmp-opened', holder, facts, reps));
  planned.push(...(await firstAccesses(facts, reps)));
  if (facts.accessMode !== 'normal') {
    const kind: NotificationKind = facts.accessMode === 'bris_de_glace' ? 'break-glass' : 'regulator-access';
    const holders = facts.emergency.length > 0 ? facts.emergency : facts.reached;
    for (const holder of new Set(holders)) planned.push(await plan(kind, holder, facts, reps));
  }
  return planned;
}

/**
 * R5.3: the document is still unreleased two weeks after its deposit. The reps are told too unless
 * the document is also hidden from them (R5.4), which would otherwise reveal it to them.
 */
export async function invisibleUnreleasedNotification(
  store: Store,
  document: { id: string; holder: string; labels: readonly string[] },
  auditEventId: string,
  now: Date,
): Promise<PlannedNotification> {
  const hiddenFromReps = document.labels.includes(INVISIBLE_TO_REPS);
  const reps = hiddenFromReps ? [] : await representatives(store, document.holder, now);
  const communication = buildCommunication({ kind: 'invisible-unreleased', holder: document.holder, reps, auditEventId, sent: now });
  return { id: invisibleUnreleasedId(document.id), communication, once: true };
}

/** The Communication rows and their outbox rows, to commit with the AuditEvent. */
export function notificationWrites(planned: readonly PlannedNotification[], at: Date): RowWrite[] {
  return planned.flatMap(({ id, communication }) => {
    const write = newRowWrite(communication, id, at);
    return [write, outboxWrite(write.row, at)];
  });
}
