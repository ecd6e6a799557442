import { Query } from 'mingo';
import type { Filter, FindQuery, SortSpec, StoredRow } from './store.js';
import type { EmbeddedDbs, HeadRow } from './embedded-layout.js';
import type { IndexCatalog } from './embedded-indexes.js';
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
}

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

function postingsOf(ctx: QueryContext, type: string): PostingsSource {
  const codes = new Map((ctx.catalog.get(type) ?? []).map((index) => [index.field, index.code]));
  return { postings: ctx.dbs.postings, codeOf: (field: string) => codes.get(field)! };
}

/** Live rows matching the filter, as heads (or full rows when the filter reads the resource). */
function matching(ctx: QueryContext, prepared: Prepared, operation: QueryTrace['operation']): Doc[] {
  const { dbs } = ctx;
  const { type, plan } = prepared;
  const matcher = plan.exact ? undefined : new Query(prepared.filter);
  const out: Doc[] = [];
  let candidates = 0;
  const consider = (head: HeadRow | undefined): void => {
    if (!head || head.deleted) return;
    const doc = prepared.readsResource ? fullRow(dbs, head) : head;
    if (!matcher || matcher.test(doc)) out.push(doc);
  };
  if (plan.node) {
    for (const id of candidateIds(postingsOf(ctx, type), plan.node)) {
      candidates++;
      consider(dbs.heads.get([type, id]));
    }
  } else {
    for (const { value } of dbs.heads.getRange({ start: [type], end: [type, KEY_MAX] })) {
      candidates++;
      consider(value);
    }
  }
  ctx.observe?.({ operation, type, strategy: plan.node ? 'index' : 'scan', candidates, exact: plan.exact });
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
    const ids = sortIds(candidateIds(postingsOf(ctx, type), plan.node));
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
