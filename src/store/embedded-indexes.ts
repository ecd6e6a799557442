import type { IndexPlan, StoredRow } from './store.js';
import type { EmbeddedDbs, HeadRow } from './embedded-layout.js';
import { KEY_MAX, toIndexKey, type IndexKey } from './index-keys.js';
import { pathValues, splitPath } from './path-values.js';

/**
 * The embedded secondary indexes: for each type, each field path of the index plan is indexed
 * multikey in `postings` as [fieldCode, value, id], for live (non-deleted) current rows only. `id`
 * needs no index: it is the primary key of `heads`.
 *
 * Each indexed field is recorded in `meta` with its code and whether it is complete, so opening
 * with a changed plan builds exactly the new fields and drops the removed ones; an interrupted
 * build is found incomplete and redone on the next open, and so is a field built under an older
 * revision of the kept values (`KEYS_REVISION`).
 */

export interface FieldIndex {
  field: string;
  segments: string[];
  code: number;
  /** Values are read from the resource, so building needs full rows, not heads. */
  readsResource: boolean;
}

/** Indexed fields per type, as maintained in `postings`. */
export type IndexCatalog = ReadonlyMap<string, readonly FieldIndex[]>;

type MetaKey = [kind: 'field', type: string, field: string];

interface FieldRecord {
  code: number;
  ready: boolean;
  /** Which values `toIndexKey` keeps; a field built under another revision is rebuilt on open. */
  keys?: number;
}

/** Bumped when `toIndexKey` changes which values are indexed (2: no system-only token keys). */
const KEYS_REVISION = 2;

const CHUNK = 5_000;

/** The distinct index keys a row holds at a field (one per array element; non-scalars skipped). */
export function indexKeysOf(row: HeadRow | StoredRow, index: FieldIndex): IndexKey[] {
  const keys: IndexKey[] = [];
  for (const value of pathValues(row, index.segments)) {
    const key = toIndexKey(value);
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

/** Adds (or removes) a live row's postings; must run inside a write transaction. */
export function writePostings(dbs: EmbeddedDbs, catalog: IndexCatalog, row: HeadRow | StoredRow, add: boolean): void {
  if (row.deleted) return;
  for (const index of catalog.get(row.type) ?? []) {
    for (const key of indexKeysOf(row, index)) {
      if (add) dbs.postings.put([index.code, key, row.id], null);
      else dbs.postings.remove([index.code, key, row.id]);
    }
  }
}

/** Moves a live row's postings from its old shape to its new one, touching only the keys that differ. */
export function replacePostings(dbs: EmbeddedDbs, catalog: IndexCatalog, before: HeadRow | StoredRow, after: HeadRow | StoredRow): void {
  for (const index of catalog.get(after.type) ?? []) {
    const old = before.deleted ? [] : indexKeysOf(before, index);
    const next = after.deleted ? [] : indexKeysOf(after, index);
    for (const key of old) if (!next.includes(key)) dbs.postings.remove([index.code, key, before.id]);
    for (const key of next) if (!old.includes(key)) dbs.postings.put([index.code, key, after.id], null);
  }
}

/** Brings `postings` in line with the plan and returns the catalog the store maintains from then on. */
export function syncIndexes(dbs: EmbeddedDbs, plan: IndexPlan): IndexCatalog {
  const wanted = wantedFields(plan);
  const catalog = new Map<string, FieldIndex[]>();
  const stale: Array<{ key: MetaKey; code: number }> = [];
  for (const { key, value } of [...dbs.meta.getRange({ start: ['field'], end: ['field', KEY_MAX] })]) {
    const [, type, field] = key as MetaKey;
    const record = value as FieldRecord;
    if (record.ready && record.keys === KEYS_REVISION && wanted.get(type)?.delete(field)) addToCatalog(catalog, type, field, record.code);
    else stale.push({ key: key as MetaKey, code: record.code });
  }
  for (const { code } of stale) dropPostings(dbs, code);
  // a store opened under the plan it was built with writes nothing (no synced commit at start-up)
  if (stale.length === 0 && [...wanted.values()].every((fields) => fields.size === 0)) return catalog;
  // few transactions whatever the size of the plan: a fresh store opens without one sync per field
  const building = new Map<string, FieldIndex[]>();
  dbs.env.transactionSync(() => {
    for (const { key } of stale) dbs.meta.remove(key);
    let next = (dbs.meta.get(['next-code']) as number | undefined) ?? 1;
    for (const [type, fields] of wanted) {
      if (fields.size === 0) continue;
      building.set(type, [...fields].map((field) => toFieldIndex(field, next++)));
      for (const index of building.get(type)!) dbs.meta.put(['field', type, index.field], { code: index.code, ready: false, keys: KEYS_REVISION } satisfies FieldRecord);
    }
    dbs.meta.put(['next-code'], next);
  });
  for (const [type, indexes] of building) buildFields(dbs, type, indexes);
  dbs.env.transactionSync(() => {
    for (const [type, indexes] of building) {
      for (const index of indexes) {
        dbs.meta.put(['field', type, index.field], { code: index.code, ready: true, keys: KEYS_REVISION } satisfies FieldRecord);
        addToCatalog(catalog, type, index.field, index.code);
      }
    }
  });
  return catalog;
}

function wantedFields(plan: IndexPlan): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const [type, fields] of Object.entries(plan)) {
    wanted.set(type, new Set(fields.filter((field) => field !== '' && field !== 'id' && !isRangeEnd(field))));
  }
  return wanted;
}

/**
 * The ends of a date range (`idx.date.lo`, `idx.date.hi`) are planned for MongoDB's range scans; the
 * planner here answers equality and `$in` only (query-plan.ts), so postings on them would never be read.
 */
export function isRangeEnd(field: string): boolean {
  return field.endsWith('.lo') || field.endsWith('.hi');
}

function toFieldIndex(field: string, code: number): FieldIndex {
  return { field, segments: splitPath(field), code, readsResource: field === 'resource' || field.startsWith('resource.') };
}

function addToCatalog(catalog: Map<string, FieldIndex[]>, type: string, field: string, code: number): void {
  const list = catalog.get(type) ?? [];
  list.push(toFieldIndex(field, code));
  catalog.set(type, list);
}

function dropPostings(dbs: EmbeddedDbs, code: number): void {
  for (;;) {
    const keys = [...dbs.postings.getKeys({ start: [code], end: [code, KEY_MAX], limit: CHUNK })];
    if (keys.length === 0) return;
    dbs.env.transactionSync(() => {
      for (const key of keys) dbs.postings.remove(key);
    });
  }
}

/** One pass over the type's current rows, in chunks, each chunk one transaction. */
function buildFields(dbs: EmbeddedDbs, type: string, indexes: FieldIndex[]): void {
  const catalog: IndexCatalog = new Map([[type, indexes]]);
  const needsResource = indexes.some((index) => index.readsResource);
  let after: string | undefined;
  for (;;) {
    const batch = [
      ...dbs.heads.getRange({
        start: after === undefined ? [type] : [type, after],
        end: [type, KEY_MAX],
        exclusiveStart: after !== undefined,
        limit: CHUNK,
      }),
    ];
    if (batch.length === 0) break;
    const rows = batch.map(({ value }) => (needsResource && !value.deleted ? dbs.versions.get([type, value.id, value.versionId]) ?? value : value));
    dbs.env.transactionSync(() => {
      for (const row of rows) writePostings(dbs, catalog, row, true);
    });
    after = batch[batch.length - 1]!.value.id;
  }
}
