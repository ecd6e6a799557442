import type { Db, Filter as MongoFilter, Sort } from 'mongodb';
import { currentCollection, historyCollection, historyKey, toRow, type MongoRow } from './mongo-rows.js';
import type { Filter, FindQuery, HistoryQuery, ScanQuery, SortSpec, StoredRow } from './store.js';

/** The read half of the Store contract on MongoDB: plain queries, no session, no transaction. */

// The contract's Filter is an untyped query document over row fields; the driver types it against
// the schema. They are the same thing at run time.
function asMongoFilter(filter: Filter): MongoFilter<MongoRow> {
  return filter as MongoFilter<MongoRow>;
}

/** Tombstones are never search results: AND rather than spread, so a caller's own `deleted` key stays intact. */
function liveOnly(filter: Filter): MongoFilter<MongoRow> {
  return asMongoFilter(Object.keys(filter).length === 0 ? { deleted: false } : { $and: [filter, { deleted: false }] });
}

/** The caller's sort keys, then `id` ascending so equal keys page in a stable order. */
function withTieBreak(sort: SortSpec): Sort {
  return sort.some(([field]) => field === 'id') ? sort : [...sort, ['id', 1]];
}

function historyFilter(id: string | undefined, query: HistoryQuery): MongoFilter<MongoRow> {
  const filter: Filter = {};
  if (id !== undefined) filter.id = id;
  const range: Record<string, string> = {};
  if (query.since !== undefined) range.$gte = query.since;
  if (query.before !== undefined) range.$lt = query.before;
  if (Object.keys(range).length > 0) filter.lastUpdated = range;
  return asMongoFilter(filter);
}

// Newest first as the contract says; `id` last so versions written in the same millisecond page stably.
const HISTORY_ORDER: Sort = [
  ['lastUpdated', -1],
  ['versionId', -1],
  ['id', 1],
];

export async function readCurrent(db: Db, type: string, id: string): Promise<StoredRow | undefined> {
  const doc = await currentCollection(db, type).findOne({ _id: id });
  return doc ? toRow(doc) : undefined;
}

export async function readVersion(db: Db, type: string, id: string, versionId: number): Promise<StoredRow | undefined> {
  const doc = await historyCollection(db, type).findOne({ _id: historyKey(id, versionId) });
  return doc ? toRow(doc) : undefined;
}

export async function findRows(db: Db, type: string, query: FindQuery): Promise<StoredRow[]> {
  // The driver reads limit 0 as "no limit"; the contract means "no rows" (e.g. `_count=0`).
  if (query.limit === 0) return [];
  const docs = await currentCollection(db, type)
    .find(liveOnly(query.filter), { sort: withTieBreak(query.sort ?? []), skip: query.skip, limit: query.limit })
    .toArray();
  return docs.map(toRow);
}

export async function countRows(db: Db, type: string, filter: Filter): Promise<number> {
  return currentCollection(db, type).countDocuments(liveOnly(filter));
}

export async function findHistory(db: Db, type: string, id: string | undefined, query: HistoryQuery): Promise<StoredRow[]> {
  if (query.limit === 0) return [];
  const docs = await historyCollection(db, type)
    .find(historyFilter(id, query), { sort: HISTORY_ORDER, skip: query.skip, limit: query.limit })
    .toArray();
  return docs.map(toRow);
}

export async function countHistory(db: Db, type: string, id: string | undefined, query: HistoryQuery): Promise<number> {
  return historyCollection(db, type).countDocuments(historyFilter(id, query));
}

/** Current rows by `_id` (the resource id, compared as UTF-8 bytes: code-point order, as the embedded keys). */
export async function scanCurrent(db: Db, type: string, query: ScanQuery): Promise<StoredRow[]> {
  const limit = Math.trunc(query.limit);
  if (!(limit > 0)) return [];
  const filter: MongoFilter<MongoRow> = query.afterId === undefined ? {} : { _id: { $gt: query.afterId } };
  const docs = await currentCollection(db, type).find(filter, { sort: { _id: 1 }, limit }).toArray();
  return docs.map(toRow);
}
