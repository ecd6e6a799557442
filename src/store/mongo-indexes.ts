import type { Db, IndexDescription } from 'mongodb';
import { currentCollection, historyCollection } from './mongo-rows.js';
import type { IndexPlan } from './store.js';

/**
 * Indexes, created at start-up. `createIndexes` is a no-op for an index that already exists with the
 * same key, so every node may run this on every boot. It also creates the collections, so no
 * transaction has to create one (impossible in a cross-shard transaction).
 */

// `_id` (the resource id) is indexed by MongoDB itself; `id` is indexed too because filters are
// written against row fields (`{ id: { $in: [...] } }`); `lastUpdated` serves `_lastUpdated` and
// sorting on it.
const ALWAYS_INDEXED = ['id', 'lastUpdated'];

function currentIndexes(fields: string[]): IndexDescription[] {
  const unique = [...new Set([...ALWAYS_INDEXED, ...fields])];
  // Single-field indexes become multikey on array values, which is how `idx.*` values are stored.
  return unique.map((field) => ({ key: { [field]: 1 } }));
}

const HISTORY_INDEXES: IndexDescription[] = [
  { key: { id: 1, versionId: -1 } }, // one resource's versions, newest first; also purge by id
  // Type-level history and `_since`: the whole sort order of `history()`, so MongoDB walks the index
  // instead of sorting every matching version in memory.
  { key: { lastUpdated: -1, versionId: -1, id: 1 } },
];

export async function ensureIndexes(db: Db, plan: IndexPlan): Promise<void> {
  for (const [type, fields] of Object.entries(plan)) {
    await currentCollection(db, type).createIndexes(currentIndexes(fields));
    await historyCollection(db, type).createIndexes(HISTORY_INDEXES);
  }
}
