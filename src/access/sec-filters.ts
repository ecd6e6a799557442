import { MATCH_NOTHING } from '../search/narrowed.js';
import type { Filter } from '../store/store.js';

/**
 * The filter fragments the interceptors produce, built in one place so that their shapes stay few
 * and each has a case in the store contract suite (test/store-contract.test.ts). Operators used:
 * `$in`, `$nin`, `$ne`, `$lte`, `$or`; `MATCH_NOTHING` is `{ id: { $in: [] } }`.
 */

export { MATCH_NOTHING };

/** Visible, no restriction: an explicit grant (as opposed to `undefined`, no opinion). */
export const EVERYTHING: Filter = {};

/** Rows of these holders only: `{ 'sec.patient': { $in: [...] } }` (an empty list matches nothing). */
export function holderIn(holders: readonly string[]): Filter {
  return { 'sec.patient': { $in: [...holders] } };
}

/** Rows of none of these holders (rows without a holder pass): `{ 'sec.patient': { $nin: [...] } }`. */
export function holderNotIn(holders: readonly string[]): Filter {
  return { 'sec.patient': { $nin: [...holders] } };
}

/** Rows whose `sec.<field>` holds one of the values: `{ 'sec.family': { $in: [...] } }`. */
export function factIn(field: string, values: readonly string[]): Filter {
  return { [`sec.${field}`]: { $in: [...values] } };
}

/** Rows not carrying a visibility label (rows without labels pass): `{ 'sec.labels': { $ne: label } }`. */
export function withoutLabel(label: string): Filter {
  return { 'sec.labels': { $ne: label } };
}

/** OR of the branches; a single branch is returned as is. */
export function anyOf(branches: Filter[]): Filter {
  return branches.length === 1 ? branches[0]! : { $or: branches };
}
