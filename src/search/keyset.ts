import type { Filter, SortSpec, StoredRow } from '../store/store.js';
import { MATCH_NOTHING, and } from './narrowed.js';

/**
 * Keyset (cursor) paging: a page is "the rows after (or before) this row in sort order", so inserts,
 * updates and deletes elsewhere never shift unchanged rows into a duplicate or a gap, as skip/limit
 * would.
 *
 * The order follows MongoDB's documented semantics, which both engines honour: an ascending key of
 * a multi-valued field is its smallest value, a descending key its largest; a row without a value
 * sorts before every value. Equal keys are ordered by `id` ascending (the store's tie-break), which
 * the sort spec handed here already ends with.
 */

/** One sort key of one row; `null` when the row has no value for that field. */
export type SortValue = string | number | null;

/** Top-level row fields that always hold exactly one value: simple comparisons are exact on them. */
const SCALAR_FIELDS = new Set(['id', 'lastUpdated', 'versionId', 'type']);

export function isScalarField(field: string): boolean {
  return SCALAR_FIELDS.has(field);
}

/**
 * Fields holding at most one value (the indexer's `idx['<code>:sort']` keys, and the scalars): their
 * smallest and largest values coincide, so the descending order is exactly the ascending one reversed.
 */
export function isSingleValued(field: string): boolean {
  return isScalarField(field) || /^idx\.[^.]+:sort$/.test(field);
}

/** Every value at a dotted path, descending into arrays at each step as MongoDB does. */
export function valuesAt(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
      if (value !== null && typeof value === 'object' && segment in value) {
        next.push((value as Record<string, unknown>)[segment]);
      }
    }
    current = next;
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

/** Orders keys as MongoDB does across the types search keys use: null, then numbers, then strings. */
export function compareValues(a: SortValue, b: SortValue): number {
  const rank = (v: SortValue) => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === b) return 0;
  return (a as string | number) < (b as string | number) ? -1 : 1;
}

/** The key a row sorts by on one field: its smallest value ascending, its largest descending. */
export function sortValue(row: StoredRow, field: string, direction: 1 | -1): SortValue {
  const values = valuesAt(row, field).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  if (values.length === 0) return null;
  return values.reduce((best, v) => (compareValues(v, best) * direction < 0 ? v : best));
}

export function sortValues(row: StoredRow, spec: SortSpec): SortValue[] {
  return spec.map(([field, direction]) => sortValue(row, field, direction));
}

/** Rows with at least one string or number at `field` (a non-null key). */
function hasValue(field: string): Filter {
  return { $or: [{ [field]: { $gte: '' } }, { [field]: { $gte: -Number.MAX_VALUE } }] };
}

function hasNoValue(field: string): Filter {
  return { $nor: [hasValue(field)] };
}

/** Rows whose key on this field equals `value`. */
function equal(field: string, direction: 1 | -1, value: SortValue): Filter {
  if (value === null) return hasNoValue(field);
  if (isScalarField(field)) return { [field]: value };
  // Holds the value, and none smaller (ascending: the min is it) or larger (descending: the max is it).
  return and({ [field]: value }, { [field]: { $not: { [direction === 1 ? '$lt' : '$gt']: value } } });
}

/** Rows whose key on this field is greater than `value` (later when ascending, earlier when descending). */
function greater(field: string, direction: 1 | -1, value: SortValue): Filter {
  if (isScalarField(field)) return value === null ? { [field]: { $exists: true } } : { [field]: { $gt: value } };
  if (value === null) return hasValue(field);
  // Ascending compares the min: every value above. Descending compares the max: some value above.
  return direction === 1 ? and({ [field]: { $gt: value } }, { [field]: { $not: { $lte: value } } }) : { [field]: { $gt: value } };
}

/** Rows whose key on this field is smaller than `value`; rows without a value are smallest. */
function smaller(field: string, direction: 1 | -1, value: SortValue): Filter {
  if (value === null) return MATCH_NOTHING;
  if (isScalarField(field)) return { [field]: { $lt: value } };
  // Ascending compares the min: some value below. Descending compares the max: no value at or above.
  return direction === 1 ? { $or: [{ [field]: { $lt: value } }, hasNoValue(field)] } : { [field]: { $not: { $gte: value } } };
}

function beyond(spec: SortSpec, key: SortValue[], forward: boolean): Filter {
  const branches: Filter[] = [];
  spec.forEach(([field, direction], i) => {
    const later = direction === 1 === forward;
    const strict = later ? greater(field, direction, key[i]!) : smaller(field, direction, key[i]!);
    if (strict === MATCH_NOTHING) return;
    branches.push(and(...spec.slice(0, i).map(([f, d], j) => equal(f, d, key[j]!)), strict));
  });
  if (branches.length === 0) return MATCH_NOTHING;
  return branches.length === 1 ? branches[0]! : { $or: branches };
}

/** Rows strictly after the row whose keys are `key`, in the order of `spec` (which ends with `id`). */
export function after(spec: SortSpec, key: SortValue[]): Filter {
  return beyond(spec, key, true);
}

/** Rows strictly before the row whose keys are `key`. */
export function before(spec: SortSpec, key: SortValue[]): Filter {
  return beyond(spec, key, false);
}

/** The same order read backwards; exact only when every field is scalar (see `isScalarField`). */
export function reversed(spec: SortSpec): SortSpec {
  return spec.map(([field, direction]) => [field, direction === 1 ? -1 : 1]);
}
