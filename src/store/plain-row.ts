import type { RowRewrite, StoredRow } from './store.js';

/**
 * The one shape rows are stored in: a JSON copy of what the caller gave (so a later mutation of the
 * caller's object cannot reach the store, and no `undefined` is stored to come back as a key that
 * MongoDB would not have), with the StoredRow fields in a fixed order and nothing else.
 */

/** FHIR ids are at most 64 characters; anything far longer cannot be a key part. */
const MAX_KEY_TEXT = 256;

export function isKeyText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_TEXT && !value.includes('\u0000');
}

export function isVersionNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function plainRow(row: StoredRow): StoredRow {
  if (!isKeyText(row.type)) throw new TypeError(`invalid row type: ${String(row.type)}`);
  if (!isKeyText(row.id)) throw new TypeError(`invalid row id for ${row.type}: ${String(row.id)}`);
  if (!isVersionNumber(row.versionId)) throw new TypeError(`invalid versionId for ${row.type}/${row.id}: ${String(row.versionId)}`);
  if (!isKeyText(row.lastUpdated) || row.lastUpdated.length > 64) {
    throw new TypeError(`invalid lastUpdated for ${row.type}/${row.id}`);
  }
  const copy = JSON.parse(JSON.stringify({ resource: row.resource, idx: row.idx ?? {}, sec: row.sec ?? {} })) as Pick<StoredRow, 'resource' | 'idx' | 'sec'>;
  return {
    type: row.type,
    id: row.id,
    versionId: row.versionId,
    lastUpdated: row.lastUpdated,
    deleted: row.deleted === true,
    ...(copy.resource !== undefined ? { resource: copy.resource } : {}),
    idx: copy.idx,
    sec: copy.sec,
  };
}

/** A rewrite checked and copied the same way: its key fields valid, `idx` and `sec` plain JSON. */
export function plainRewrite(row: RowRewrite): RowRewrite {
  if (!isKeyText(row.type)) throw new TypeError(`invalid row type: ${String(row.type)}`);
  if (!isKeyText(row.id)) throw new TypeError(`invalid row id for ${row.type}: ${String(row.id)}`);
  if (!isVersionNumber(row.versionId)) throw new TypeError(`invalid versionId for ${row.type}/${row.id}: ${String(row.versionId)}`);
  const copy = JSON.parse(JSON.stringify({ idx: row.idx ?? {}, sec: row.sec ?? {} })) as Pick<RowRewrite, 'idx' | 'sec'>;
  return { type: row.type, id: row.id, versionId: row.versionId, idx: copy.idx, sec: copy.sec };
}
