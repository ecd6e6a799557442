import { Query } from 'mingo';
import type { Filter, FindQuery, SortSpec, StoredRow } from './store.js';
import type { EmbeddedDbs, HeadRow } from './embedded-layout.js';
import { indexKeysOf, type IndexCatalog } from './embedded-indexes.js';
import { candidateIds, countCandidates, type PostingsSource } from './candidate-ids.js';
import { KEY_MAX } from './index-keys.js';
import { filterPaths, mayYieldDeadRows, planQuery, type QueryPlan } from './query-plan.js';
import { sortIds, sortRows } from './sort-rows.js';

/**
 * `find` and `count` of the embedded store. Candidates come from the index when the plan has one,
 * from a scan of the type's heads otherwise; mingo evaluates the MongoDB filter on each candidate
 * (skipped when the plan is exact); tombstones never match. Filters and sorts read heads (rows
 * without their resource): the resource of a row is decoded only for the returned page, unless
 * the filter or sort names a `resource` path.
 */

export interface QueryTrace {
  operation: 'find' | 'count';
  type: string;
  strategy: 'index' | 'scan';
  /** Ids the index yielded, or rows the scan visited. */
  candidates: number;
  /** Whether the index alone answered the filter (no row was evaluated). */
  exact: boolean;
}

export interface QueryContext {
  dbs: EmbeddedDbs;
  catalog: IndexCatalog;
  observe?: (trace: QueryTrace) => void;
  /** Matches computed in this turn of the event loop (see `RecentMatch`). */
  recent?: RecentMatch[];
}

/**
 * A search asks for its page and its `_total` with the same filter object in the same turn of the
 * event loop: the second query reuses the rows the first one matched. LMDB renews the read snapshot
 * only between turns (after a commit, or on a timer), never within one, so both see the same rows;
 * the list is emptied once the current turn's microtasks have run.
 */
interface RecentMatch {
  type: string;
  filter: Filter;
  readsResource: boolean;
  docs: Doc[];
}

/** Matches kept for reuse only up to this many rows (a page and its count of a compartment). */
const RECENT_MAX_ROWS = 10_000;

interface Prepared {
  type: string;
  filter: Filter;
  plan: QueryPlan;
  /** The filter or sort reads the resource: evaluate full rows instead of heads. */
  readsResource: boolean;
}

type Doc = HeadRow | StoredRow;

export function findRows(ctx: QueryContext, type: string, query: FindQuery): StoredRow[] {
  // a limit of 0 asks for no rows (`_count=0`), as in the MongoDB engine (whose driver would read it as "no limit")
  if (query.limit !== undefined && query.limit <= 0) return [];
  const sort = query.sort ?? [];
  const skip = Math.max(0, Math.trunc(query.skip ?? 0));
  const end = query.limit !== undefined ? skip + Math.trunc(query.limit) : Infinity;
  const prepared = prepare(ctx, type, query.filter, sort);
  if (prepared.plan.exact && !prepared.readsResource && isIdOrder(sort)) {
    return pageInIdOrder(ctx, prepared, skip, end).map((head) => fullRow(ctx.dbs, head));
  }
  const docs = matching(ctx, prepared, 'find');
  const ordered = sortRows(docs, sort, (doc) => doc);
  const page = ordered.slice(skip, end);
  return prepared.readsResource ? (page as StoredRow[]) : page.map((head) => fullRow(ctx.dbs, head));
}

export function countRows(ctx: QueryContext, type: string, filter: Filter): number {
  const prepared = prepare(ctx, type, filter, []);
  const { node, exact } = prepared.plan;
  if (node && exact && !mayYieldDeadRows(node)) {
    const size = countCandidates(postingsOf(ctx, type), node);
    ctx.observe?.({ operation: 'count', type, strategy: 'index', candidates: size, exact });
    return size;
  }
  return matching(ctx, prepared, 'count').length;
}

function prepare(ctx: QueryContext, type: string, filter: Filter, sort: SortSpec): Prepared {
  const indexed = new Set((ctx.catalog.get(type) ?? []).map((index) => index.field));
  const plan = planQuery(filter, (field) => indexed.has(field));
  const paths = [...filterPaths(filter), ...sort.map(([field]) => field)];
  const readsResource = paths.some((path) => path === 'resource' || path.startsWith('resource.') || path.startsWith('$'));
  return { type, filter, plan, readsResource };
}

function isIdOrder(sort: SortSpec): boolean {
  return sort.every(([field, direction]) => field === 'id' && direction === 1);
}

function postingsOf(ctx: QueryContext, type: string, heads?: Map<string, HeadRow | undefined>): PostingsSource {
  const indexes = new Map((ctx.catalog.get(type) ?? []).map((index) => [index.field, index]));
  const headOf = (id: string): HeadRow | undefined => {
    if (heads?.has(id)) return heads.get(id);
    const head = ctx.dbs.heads.get([type, id]);
    heads?.set(id, head);
    return head;
  };
  return {
    postings: ctx.dbs.postings,
    codeOf: (field) => indexes.get(field)!.code,
    rowHolds: (field, values, id) => {
      const index = indexes.get(field)!;
      if (index.readsResource) return undefined;
      const head = headOf(id);
      // postings exist for live rows only
      if (!head || head.deleted) return false;
      return indexKeysOf(head, index).some((key) => values.has(key));
    },
  };
}

function recentMatch(ctx: QueryContext, prepared: Prepared): Doc[] | undefined {
  return ctx.recent?.find((m) => m.filter === prepared.filter && m.type === prepared.type && m.readsResource === prepared.readsResource)?.docs;
}

function keepMatch(ctx: QueryContext, prepared: Prepared, docs: Doc[]): void {
  // full rows would be shared with the caller of the first query, who may change them
  if (docs.length > RECENT_MAX_ROWS || prepared.readsResource) return;
  if (!ctx.recent) {
    const recent: RecentMatch[] = (ctx.recent = []);
    queueMicrotask(() => {
      if (ctx.recent === recent) ctx.recent = undefined;
    });
  }
  ctx.recent.push({ type: prepared.type, filter: prepared.filter, readsResource: prepared.readsResource, docs });
}

/** Live rows matching the filter, as heads (or full rows when the filter reads the resource). */
function matching(ctx: QueryContext, prepared: Prepared, operation: QueryTrace['operation']): Doc[] {
  const { dbs } = ctx;
  const { type, plan } = prepared;
  const reused = recentMatch(ctx, prepared);
  if (reused) {
    ctx.observe?.({ operation, type, strategy: plan.node ? 'index' : 'scan', candidates: 0, exact: plan.exact });
    return reused;
  }
  const matcher = plan.exact ? undefined : new Query(prepared.filter);
  const out: Doc[] = [];
  let candidates = 0;
  const consider = (head: HeadRow | undefined): void => {
    if (!head || head.deleted) return;
    const doc = prepared.readsResource ? fullRow(dbs, head) : head;
    if (!matcher || matcher.test(doc)) out.push(doc);
  };
  if (plan.node) {
    const heads = new Map<string, HeadRow | undefined>();
    // an inexact plan evaluates the filter on each candidate: the index only has to narrow them
    for (const id of candidateIds(postingsOf(ctx, type, heads), plan.node, { superset: !plan.exact })) {
      candidates++;
      consider(heads.has(id) ? heads.get(id) : dbs.heads.get([type, id]));
    }
  } else {
    for (const { value } of dbs.heads.getRange({ start: [type], end: [type, KEY_MAX] })) {
      candidates++;
      consider(value);
    }
  }
  ctx.observe?.({ operation, type, strategy: plan.node ? 'index' : 'scan', candidates, exact: plan.exact });
  keepMatch(ctx, prepared, out);
  return out;
}

/** An exact filter in id order: only the rows of the page are read. */
function pageInIdOrder(ctx: QueryContext, prepared: Prepared, skip: number, end: number): HeadRow[] {
  const { dbs } = ctx;
  const { type, plan } = prepared;
  const page: HeadRow[] = [];
  let live = 0;
  let candidates = 0;
  const take = (head: HeadRow | undefined): boolean => {
    if (!head || head.deleted) return true;
    if (live++ >= skip) page.push(head);
    return live < end;
  };
  if (plan.node) {
    const ids = sortIds(candidateIds(postingsOf(ctx, type, new Map()), plan.node));
    candidates = ids.length;
    const checkLiveness = mayYieldDeadRows(plan.node);
    // without tombstones among the candidates, the page is a slice of the ids
    const window = checkLiveness ? ids : ids.slice(skip, end);
    if (!checkLiveness) live = skip;
    for (const id of window) if (!take(dbs.heads.get([type, id]))) break;
  } else {
    for (const { value } of dbs.heads.getRange({ start: [type], end: [type, KEY_MAX] })) {
      candidates++;
      if (!take(value)) break;
    }
  }
  ctx.observe?.({ operation: 'find', type, strategy: plan.node ? 'index' : 'scan', candidates, exact: true });
  return page;
}

export function fullRow(dbs: EmbeddedDbs, head: HeadRow): StoredRow {
  const row = dbs.versions.get([head.type, head.id, head.versionId]);
  if (!row) throw new Error(`embedded store: ${head.type}/${head.id} has no version ${head.versionId}`);
  return row;
}
