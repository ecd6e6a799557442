import type { Communication } from 'fhir/r4';
import { VersionConflictError, type RowWrite, type Store, type StoredRow } from '../store/store.js';

/**
 * The delivery outbox of notifications: one row per Communication, written in the same commit as
 * the Communication (so a notification exists exactly when its delivery is owed), read back by the
 * dispatcher. Rows live in the store, so deliveries survive a restart and any node may deliver.
 *
 * The row type is a plain word (MongoDB turns types into collection names) that no FHIR type uses
 * and the registry never serves. Its state is in `sec`: `state` (`pending` or `failed`, indexed),
 * `due` (ISO instant of the next attempt), `attempts`, `lastError`. A node claims a row by writing
 * its next version with `due` pushed one lease ahead (optimistic concurrency: one claimant wins);
 * a crash mid-delivery makes it due again when the lease ends (at-least-once delivery). A
 * delivered row is purged; one that failed `maxAttempts` times stays as `failed` for an operator.
 */

export const OUTBOX_TYPE = 'NotificationOutbox';

export type OutboxState = 'pending' | 'failed';

export interface OutboxFacts {
  state: OutboxState;
  due: string;
  attempts: number;
  /** `Communication/<id>`. */
  communication: string;
  lastError?: string;
}

export interface OutboxEntry {
  row: StoredRow;
  facts: OutboxFacts;
  communication: Communication;
}

const factsOf = (row: StoredRow) => row.sec as unknown as OutboxFacts;

function nextVersion(row: StoredRow, at: Date, facts: OutboxFacts): RowWrite {
  return {
    row: { ...row, versionId: row.versionId + 1, lastUpdated: at.toISOString(), sec: { ...facts } },
    expectedVersion: row.versionId,
  };
}

/** The outbox row of a Communication row about to be committed: due at once. */
export function outboxWrite(communication: StoredRow, at: Date): RowWrite {
  const facts: OutboxFacts = { state: 'pending', due: at.toISOString(), attempts: 0, communication: `Communication/${communication.id}` };
  return {
    row: {
      type: OUTBOX_TYPE,
      id: communication.id,
      versionId: 1,
      lastUpdated: at.toISOString(),
      deleted: false,
      // what is delivered is what was committed: the copy saves a read per delivery
      resource: communication.resource,
      idx: {},
      sec: { ...facts },
    },
    expectedVersion: 0,
  };
}

/** Pending rows due at `now`, the longest waiting first. */
export async function dueEntries(store: Store, now: Date, limit: number): Promise<OutboxEntry[]> {
  const rows = await store.find(OUTBOX_TYPE, {
    filter: { 'sec.state': 'pending', 'sec.due': { $lte: now.toISOString() } },
    sort: [['sec.due', 1]],
    limit,
  });
  return rows.map((row) => ({ row, facts: factsOf(row), communication: row.resource as Communication }));
}

/** Takes a row for one delivery attempt; undefined when another node took it first. */
export async function claim(store: Store, entry: OutboxEntry, now: Date, leaseMs: number): Promise<OutboxEntry | undefined> {
  const facts: OutboxFacts = { ...entry.facts, due: new Date(now.getTime() + leaseMs).toISOString(), attempts: entry.facts.attempts + 1 };
  const write = nextVersion(entry.row, now, facts);
  try {
    await store.commit([write]);
  } catch (error) {
    if (error instanceof VersionConflictError) return undefined;
    throw error;
  }
  return { ...entry, row: write.row, facts };
}

/** After a failed attempt: due again after `delayMs`, or `failed` for good when attempts ran out. */
export async function reschedule(store: Store, entry: OutboxEntry, now: Date, delayMs: number | undefined, error: string): Promise<void> {
  const facts: OutboxFacts =
    delayMs === undefined
      ? { ...entry.facts, state: 'failed', lastError: error }
      : { ...entry.facts, due: new Date(now.getTime() + delayMs).toISOString(), lastError: error };
  try {
    await store.commit([nextVersion(entry.row, now, facts)]);
  } catch (err) {
    // another node's lease ran out and it took the row over: its outcome wins
    if (!(err instanceof VersionConflictError)) throw err;
  }
}

/** A delivered notification leaves the outbox (the Communication itself stays). */
export async function delivered(store: Store, entry: OutboxEntry): Promise<void> {
  await store.purge(OUTBOX_TYPE, [entry.row.id]);
}

/** Rows in a state, for operators and tests. */
export async function outboxEntries(store: Store, state: OutboxState): Promise<OutboxEntry[]> {
  const rows = await store.find(OUTBOX_TYPE, { filter: { 'sec.state': state }, sort: [['sec.due', 1]] });
  return rows.map((row) => ({ row, facts: factsOf(row), communication: row.resource as Communication }));
}
