/**
 * Which values the embedded secondary indexes hold, decided from the value alone so that a write and
 * a query always agree: a value that cannot be a key is never indexed, and a query on it scans.
 */

export type IndexKey = string | number;

/** Bytes kept for a value inside an LMDB key (max 1978 bytes with type code, id and separators). */
const MAX_VALUE_BYTES = 1024;

/** Above every key LMDB's ordered-binary encoding produces: the open end of a prefix range. */
export const KEY_MAX = new Uint8Array([0xff]);

export function toIndexKey(value: unknown): IndexKey | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    return value === 0 ? 0 : value; // -0 and 0 are one value to MongoDB, two keys to LMDB
  }
  if (typeof value !== 'string') return undefined;
  // NUL separates the parts of an LMDB array key; such strings cannot be stored in one
  if (value.includes('\u0000')) return undefined;
  // a token's system-only key (`http://loinc.org|`) is held by every row coded in that system: a
  // list that never narrows a search, written by each of those rows; a query on it is evaluated
  if (value.endsWith('|')) return undefined;
  if (value.length > MAX_VALUE_BYTES / 3 && Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) return undefined;
  return value;
}
