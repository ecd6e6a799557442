import type { Resource } from 'fhir/r4';

/**
 * The one storage contract. Two engines implement it (`embedded-store.ts` on LMDB + mingo, and
 * `mongo-store.ts` on the official driver); `test/store-contract.test.ts` runs the same table of
 * filters against both. Nothing outside `src/store/` talks to a database.
 */

/** A MongoDB query document over a row's fields (`idx.*`, `sec.*`, `id`, `lastUpdated`, …). */
export type Filter = Record<string, unknown>;

/** Sort keys in order; `1` ascending, `-1` descending. Engines add `id` ascending as a final tie-break. */
export type SortSpec = Array<[field: string, direction: 1 | -1]>;

/** A date or period extracted for search, as an inclusive range of ISO instants (UTC, ms precision). */
export interface DateRange {
  lo: string;
  hi: string;
}

/** Search values computed once per write from SearchParameter expressions, keyed by parameter code. */
export type IndexValues = Record<string, unknown[]>;

/** Facts the access rules need, extracted at write time (patient, family, labels, author, …). */
export type AccessFacts = Record<string, unknown>;

/** One version of one resource as stored: current table and history table hold the same shape. */
export interface StoredRow {
  type: string;
  id: string;
  /** D6: "1" on create, incremented by each update and delete. */
  versionId: number;
  /** ISO instant, UTC, millisecond precision: sorts as text. */
  lastUpdated: string;
  /** A delete writes a new version with `deleted: true` and no resource (a tombstone). */
  deleted: boolean;
  /** The resource with `id` and `meta.versionId`/`meta.lastUpdated` set; absent on a tombstone. */
  resource?: Resource;
  idx: IndexValues;
  sec: AccessFacts;
}

export interface FindQuery {
  filter: Filter;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
}

export interface HistoryQuery {
  /** Only versions with `lastUpdated >= since`. */
  since?: string;
  /** Only versions with `lastUpdated < before` (keeps paging stable while writes go on). */
  before?: string;
  skip?: number;
  limit?: number;
}

/** A write of one new version. `expectedVersion` is the current versionId the writer saw, 0 for none. */
export interface RowWrite {
  row: StoredRow;
  expectedVersion: number;
}

/** A new `idx` and `sec` for one existing version; everything else of the version stays as stored. */
export type RowRewrite = Pick<StoredRow, 'type' | 'id' | 'versionId' | 'idx' | 'sec'>;

/** A page of a type's current rows in ascending id order (code-point order), tombstones included. */
export interface ScanQuery {
  /** Only rows whose id sorts after this one (the last id of the previous page). */
  afterId?: string;
  /** Page size; 0 or less returns no row. */
  limit: number;
}

/** Thrown by `commit` when a row's current version is not the one expected; nothing was written. */
export class VersionConflictError extends Error {
  constructor(
    readonly type: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${type}/${id}: expected version ${expected}, found ${actual}`);
    this.name = 'VersionConflictError';
  }
}

/** Thrown by any method when the database cannot be reached; answered 503. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('the store is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}

export interface Store {
  readonly kind: 'embedded' | 'mongodb';
  /** The current version of a resource, tombstone included; undefined if it never existed. */
  read(type: string, id: string): Promise<StoredRow | undefined>;
  /** One version of a resource from history, tombstone included. */
  readVersion(type: string, id: string, versionId: number): Promise<StoredRow | undefined>;
  /** Current, non-deleted rows of a type matching the filter. */
  find(type: string, query: FindQuery): Promise<StoredRow[]>;
  /** How many current, non-deleted rows of a type match the filter. */
  count(type: string, filter: Filter): Promise<number>;
  /** Versions newest first (by lastUpdated, then versionId): of one resource when id is given, else of the type. */
  history(type: string, id: string | undefined, query: HistoryQuery): Promise<StoredRow[]>;
  historyCount(type: string, id: string | undefined, query: HistoryQuery): Promise<number>;
  /**
   * Applies every write atomically: each row becomes the current version of its resource and is
   * appended to history, or, if any expectedVersion does not match, nothing is written and
   * VersionConflictError is thrown. Resolves only once the writes are durable.
   */
  commit(writes: RowWrite[]): Promise<void>;
  /** Removes every version of the given resources (retention, R9.3). */
  purge(type: string, ids: string[]): Promise<void>;
  /**
   * Maintenance (D24, `npm run reindex`): replaces the `idx` and `sec` of existing versions in
   * place, in the history row of each and in the current row when it is the current version, with
   * the indexes kept in line. No version is created; versionId, lastUpdated, deleted and resource
   * are untouched. All rows of a call land together or none does; a version that no longer exists
   * (purged meanwhile) is skipped. Resolves once durable.
   */
  rewrite(rows: RowRewrite[]): Promise<void>;
  /** Current rows of a type, tombstones included, by ascending id: walks a whole type in bounded pages. */
  scan(type: string, query: ScanQuery): Promise<StoredRow[]>;
  /** A small value the server keeps about the store itself (e.g. the hash of `profiles/` the rows were indexed under). */
  getMeta(key: string): Promise<string | undefined>;
  /** Sets that value; resolves once durable. */
  setMeta(key: string, value: string): Promise<void>;
  /** Resolves when the store answers; used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Which row fields each engine indexes, per resource type (multikey: array values are indexed per element). */
export type IndexPlan = Record<string, string[]>;
