import type { ClientSession, Db, MongoClient } from 'mongodb';
import { isDuplicateKey } from './mongo-errors.js';
import { currentCollection, historyCollection, historyKey, type MongoRow } from './mongo-rows.js';
import { inTransaction } from './mongo-transaction.js';
import { VersionConflictError, type RowWrite, type StoredRow } from './store.js';

/**
 * Raised inside the transaction when a version check fails. It is deliberately not a MongoError, so
 * `withTransaction` aborts and rethrows it instead of retrying: a conflict is the caller's to handle.
 */
class ConflictSeen extends Error {
  constructor(
    readonly type: string,
    readonly id: string,
    readonly expected: number,
  ) {
    super(`${type}/${id}: version ${expected} is no longer current`);
  }
}

/** Makes `row` the current version, provided the current one is still `expectedVersion` (0: none). */
async function writeCurrent(db: Db, session: ClientSession, row: StoredRow, expectedVersion: number): Promise<void> {
  const current = currentCollection(db, row.type);
  if (expectedVersion === 0) {
    try {
      await current.insertOne({ _id: row.id, ...row }, { session });
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictSeen(row.type, row.id, 0);
      throw error;
    }
    return;
  }
  const result = await current.replaceOne({ _id: row.id, versionId: expectedVersion }, row, { session });
  if (result.matchedCount === 0) throw new ConflictSeen(row.type, row.id, expectedVersion);
}

/** One insertMany per type rather than one round trip per version (a transaction Bundle may hold many). */
function historyByType(writes: RowWrite[]): Map<string, MongoRow[]> {
  const byType = new Map<string, MongoRow[]>();
  for (const { row } of writes) {
    const docs = byType.get(row.type) ?? [];
    docs.push({ _id: historyKey(row.id, row.versionId), ...row });
    byType.set(row.type, docs);
  }
  return byType;
}

/** The version actually current, read after the aborted transaction (an aborted session cannot read). */
async function conflictError(db: Db, seen: ConflictSeen): Promise<VersionConflictError> {
  const doc = await currentCollection(db, seen.type).findOne({ _id: seen.id }, { projection: { versionId: 1 } });
  return new VersionConflictError(seen.type, seen.id, seen.expected, doc?.versionId ?? 0);
}

/** Store.commit: every write's current row and history row, all or nothing. */
export async function commitWrites(client: MongoClient, db: Db, writes: RowWrite[]): Promise<void> {
  if (writes.length === 0) return;
  try {
    await inTransaction(client, async (session) => {
      for (const { row, expectedVersion } of writes) await writeCurrent(db, session, row, expectedVersion);
      for (const [type, docs] of historyByType(writes)) {
        await historyCollection(db, type).insertMany(docs, { session, ordered: true });
      }
    });
  } catch (error) {
    if (error instanceof ConflictSeen) throw await conflictError(db, error);
    throw error;
  }
}

/** Store.purge: the current row and every version of each resource, in one transaction. */
export async function purgeResources(client: MongoClient, db: Db, type: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await inTransaction(client, async (session) => {
    await currentCollection(db, type).deleteMany({ _id: { $in: ids } }, { session });
    await historyCollection(db, type).deleteMany({ id: { $in: ids } }, { session });
  });
}
