import type { Filter, SortSpec, Store, StoredRow } from '../store/store.js';
import type { Cursor } from './cursor.js';
import { after, before, isSingleValued, reversed, sortValues, type SortValue } from './keyset.js';
import { and } from './narrowed.js';

/**
 * One page of matches by keyset. `filter` must already hold the caller's access fragment: every
 * query below (page, probes, counts) runs on it.
 */

export interface PageQuery {
  type: string;
  filter: Filter;
  /** The full order, ending with `id` (see `withIdTieBreak`). */
  sort: SortSpec;
  count: number;
  cursor?: Cursor;
}

export interface Page {
  rows: StoredRow[];
  /** Keys of the first and last rows, for the `previous` and `next` links; absent when there is none. */
  previousKey?: SortValue[];
  nextKey?: SortValue[];
}

/** The order with `id` ascending last: the store's own tie-break, made explicit so cursors can carry it. */
export function withIdTieBreak(sort: SortSpec): SortSpec {
  const index = sort.findIndex(([field]) => field === 'id');
  return index >= 0 ? sort.slice(0, index + 1) : [...sort, ['id', 1]];
}

async function exists(store: Store, type: string, filter: Filter): Promise<boolean> {
  return (await store.find(type, { filter, limit: 1 })).length > 0;
}

async function forward(store: Store, q: PageQuery): Promise<Page> {
  const filter = q.cursor ? and(q.filter, after(q.sort, q.cursor.key)) : q.filter;
  // One row more than asked tells whether a next page exists without a second query.
  const found = await store.find(q.type, { filter, sort: q.sort, limit: q.count + 1 });
  const rows = found.slice(0, q.count);
  const page: Page = { rows };
  if (found.length > q.count) page.nextKey = sortValues(rows[rows.length - 1]!, q.sort);
  if (q.cursor && rows.length > 0) {
    const firstKey = sortValues(rows[0]!, q.sort);
    if (await exists(store, q.type, and(q.filter, before(q.sort, firstKey)))) page.previousKey = firstKey;
  }
  return page;
}

/**
 * The `count` rows just before the cursor row. On single-valued keys the reversed order is exact;
 * on multi-valued keys it is not (descending compares the largest value, ascending the smallest), so
 * the page is located by counting instead.
 */
async function backward(store: Store, q: PageQuery, cursor: Cursor): Promise<Page> {
  const filter = and(q.filter, before(q.sort, cursor.key));
  let rows: StoredRow[];
  let more: boolean;
  if (q.sort.every(([field]) => isSingleValued(field))) {
    const found = await store.find(q.type, { filter, sort: reversed(q.sort), limit: q.count + 1 });
    more = found.length > q.count;
    rows = found.slice(0, q.count).reverse();
  } else {
    const total = await store.count(q.type, filter);
    const skip = Math.max(0, total - q.count);
    rows = await store.find(q.type, { filter, sort: q.sort, skip, limit: q.count });
    more = skip > 0;
  }
  const page: Page = { rows };
  if (rows.length === 0) return page;
  if (more) page.previousKey = sortValues(rows[0]!, q.sort);
  const lastKey = sortValues(rows[rows.length - 1]!, q.sort);
  if (await exists(store, q.type, and(q.filter, after(q.sort, lastKey)))) page.nextKey = lastKey;
  return page;
}

export function fetchPage(store: Store, q: PageQuery): Promise<Page> {
  if (q.count === 0) return Promise.resolve({ rows: [] });
  return q.cursor?.direction === 'previous' ? backward(store, q, q.cursor) : forward(store, q);
}
