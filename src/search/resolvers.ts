import type { Filter, Store, StoredRow } from '../store/store.js';
import { DEFAULT_MAX_IDS } from './compile.js';
import type { IdResolver, Narrow, ValueResolver } from './types.js';

/**
 * The resolvers chaining, `_has` and `_list` run their inner queries through, built on the store with
 * the caller's access filter ANDed in: an inner query never sees what the caller may not, so it
 * cannot reveal it by its effect on the outer result (DMP-RULES R5.5).
 */

export interface SearchResolvers {
  resolve: IdResolver;
  resolveValues: ValueResolver;
}

function valuesAt(row: StoredRow, field: string): unknown[] {
  if (field === 'id') return [row.id];
  if (field.startsWith('idx.')) return row.idx[field.slice(4)] ?? [];
  throw new Error(`resolveValues reads id or idx.* fields, not ${field}`);
}

/** `maxIds` bounds how many rows an id lookup reads: one more than the compiler accepts, to detect excess. */
export function storeResolvers(store: Store, narrow: Narrow, maxIds: number = DEFAULT_MAX_IDS): SearchResolvers {
  const scoped = (type: string, filter: Filter): Filter => {
    const n = narrow(type);
    return n ? { $and: [filter, n] } : filter;
  };
  return {
    resolve: async (type, filter) => (await store.find(type, { filter: scoped(type, filter), limit: maxIds + 1 })).map((r) => r.id),
    resolveValues: async (type, filter, field, limit) =>
      (await store.find(type, { filter: scoped(type, filter), limit })).flatMap((r) => valuesAt(r, field)),
  };
}
