import type { AnyBulkWriteOperation, MongoClient, Db } from 'mongodb';
import { currentCollection, historyCollection, historyKey, type MongoRow } from './mongo-rows.js';
import { inTransaction } from './mongo-transaction.js';
import { plainRewrite } from './plain-row.js';
import type { RowRewrite } from './store.js';

/**
 * Store.rewrite on MongoDB: `$set` of `idx` and `sec` only, so nothing else of a version can change;
 * the current row only while it is that version (the filter names the versionId). A version
 * purged meanwhile matches nothing and is skipped. One transaction, one bulk write per collection.
 */
export async function rewriteRows(client: MongoClient, db: Db, rewrites: RowRewrite[]): Promise<void> {
  if (rewrites.length === 0) return;
  const byType = new Map<string, RowRewrite[]>();
  for (const rewrite of rewrites.map(plainRewrite)) byType.set(rewrite.type, [...(byType.get(rewrite.type) ?? []), rewrite]);
  await inTransaction(client, async (session) => {
    for (const [type, rows] of byType) {
      const current: AnyBulkWriteOperation<MongoRow>[] = rows.map(({ id, versionId, idx, sec }) => ({
        updateOne: { filter: { _id: id, versionId }, update: { $set: { idx, sec } } },
      }));
      const history: AnyBulkWriteOperation<MongoRow>[] = rows.map(({ id, versionId, idx, sec }) => ({
        updateOne: { filter: { _id: historyKey(id, versionId) }, update: { $set: { idx, sec } } },
      }));
      await currentCollection(db, type).bulkWrite(current, { session, ordered: true });
      await historyCollection(db, type).bulkWrite(history, { session, ordered: true });
    }
  });
}
