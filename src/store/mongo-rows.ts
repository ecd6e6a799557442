import type { Collection, Db } from 'mongodb';
import type { StoredRow } from './store.js';

/**
 * How rows sit in MongoDB. Each document is the StoredRow itself plus `_id`, so filters written
 * against row fields (`idx.*`, `sec.*`, `id`, `lastUpdated`) apply unchanged in both engines.
 */
export interface MongoRow extends StoredRow {
  /** Current collection: the resource id. History collection: `${id}/${versionId}`. */
  _id: string;
}

// A type name becomes a collection name: refusing anything but letters keeps a malformed type from
// reaching `system.*` or another namespace.
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

function checkedType(type: string): string {
  if (!TYPE_NAME.test(type)) throw new Error(`not a resource type name: "${type}"`);
  return type;
}

/** Current versions of one resource type, `_id` = resource id. */
export function currentCollection(db: Db, type: string): Collection<MongoRow> {
  return db.collection<MongoRow>(checkedType(type));
}

/** Every version of one resource type, `_id` = `${id}/${versionId}`. */
export function historyCollection(db: Db, type: string): Collection<MongoRow> {
  return db.collection<MongoRow>(`${checkedType(type)}_history`);
}

export function historyKey(id: string, versionId: number): string {
  return `${id}/${versionId}`;
}

/** The stored document without `_id`, so callers get exactly a StoredRow whatever the engine. */
export function toRow(doc: MongoRow): StoredRow {
  const { _id, ...row } = doc;
  return row;
}
