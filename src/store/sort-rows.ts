import type { SortSpec } from './store.js';
import { compareBson, compareCodePoints } from './bson-order.js';
import { pathValues, splitPath, type PathValue } from './path-values.js';

/**
 * Sorts rows as MongoDB would: an ascending key on an array uses its smallest element, a descending
 * key its largest; missing and null sort first ascending; `id` ascending always breaks ties, so
 * paging is stable and both engines return the same order.
 */

interface Keyed<T> {
  item: T;
  id: string;
  keys: PathValue[];
}

export function sortKeyOf(doc: unknown, segments: readonly string[], direction: 1 | -1): PathValue {
  const values = pathValues(doc, segments);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const order = compareBson(values[i], best);
    if (direction === 1 ? order < 0 : order > 0) best = values[i];
  }
  return best;
}

/**
 * Sorts `items` by the fields of `sort` read from `docOf(item)`, then by id; returns a new array.
 * Keys are computed once per row, not once per comparison.
 */
export function sortRows<T>(items: readonly T[], sort: SortSpec, docOf: (item: T) => { id: string }): T[] {
  const fields = sort.map(([field, direction]) => ({ segments: splitPath(field), direction }));
  const keyed: Keyed<T>[] = items.map((item) => {
    const doc = docOf(item);
    return { item, id: doc.id, keys: fields.map((f) => sortKeyOf(doc, f.segments, f.direction)) };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < fields.length; i++) {
      const order = compareBson(a.keys[i], b.keys[i]);
      if (order !== 0) return fields[i]!.direction === 1 ? order : -order;
    }
    return compareCodePoints(a.id, b.id);
  });
  return keyed.map((k) => k.item);
}

/** Ids in the final tie-break order, for pages that need no other sort key. */
export function sortIds(ids: Iterable<string>): string[] {
  return [...ids].sort(compareCodePoints);
}
