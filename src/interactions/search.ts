import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { bundle, fullUrl } from '../fhir/bundle.js';
import { notFound } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import { isSupportedType } from '../fhir/registry.js';
import { compileCriteria, compileSearch } from '../search/compile.js';
import { patientCompartmentFilter } from '../search/compartment.js';
import { defaultSearchFilter } from '../search/dmp-defaults.js';
import { decodeCursor, encodeCursor } from '../search/cursor.js';
import { findIncludes } from '../search/include.js';
import { searchLinks } from '../search/links.js';
import { and, narrowed } from '../search/narrowed.js';
import { fetchPage, withIdTieBreak, type Page } from '../search/paging.js';
import { parseSearch } from '../search/parse.js';
import { storeResolvers } from '../search/resolvers.js';
import { shapeResource, type ShapeOptions } from '../search/shape-result.js';
import type { Narrow, SearchRequest } from '../search/types.js';
import type { SortSpec, StoredRow } from '../store/store.js';
import type { QueryPairs, RequestContext } from './context.js';
import { assertId } from './read.js';

/**
 * `GET [type]?…`, `POST [type]/_search` and `GET Patient/[id]/[type]?…`: parse, compile, AND the
 * access fragment into every query, page by keyset, add includes, shape. Decisions:
 * - without `_sort`, newest first (`_lastUpdated` descending, then `id`): stable, and a resource
 *   created while a client pages lands on page one instead of shifting later pages;
 * - `Bundle.total` is exact unless `_total=none` (`estimate` is answered exactly: counting is cheap
 *   on indexed filters, and an exact number is a fine estimate);
 * - `_count` above `SEARCH_MAX_COUNT` is lowered to it, and the links show the value applied;
 * - `_summary=count` always carries the total, even with `_total=none`;
 * - includes add at most `SEARCH_MAX_COUNT` resources per page, a cut being said in an outcome entry.
 */

export interface SearchOptions {
  /** `Prefer: handling=lenient`: unknown parameters are ignored (and left out of `self`), not a 400. */
  lenient: boolean;
  /** Access fragment ANDed into every query of the search: matches, total, includes, chains, `_has`. */
  narrow?: Narrow;
  /** Compartment search: only resources in this patient's compartment. */
  compartment?: { type: 'Patient'; id: string };
}

const DEFAULT_SORT: SortSpec = [['lastUpdated', -1]];

const noNarrow: Narrow = () => undefined;

function entry(baseUrl: string, row: StoredRow, shape: ShapeOptions, mode: 'match' | 'include'): BundleEntry {
  return {
    fullUrl: fullUrl(baseUrl, row.type, row.id),
    resource: shapeResource(row.resource!, shape) as FhirResource,
    search: { mode },
  };
}

function truncationWarning(limit: number): BundleEntry {
  return {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource: operationOutcome([
      {
        severity: 'warning',
        code: 'too-costly',
        diagnostics: `_include/_revinclude added the first ${limit} resources only; narrow the search to get the rest`,
      },
    ]),
    search: { mode: 'outcome' },
  };
}

function pageSize(ctx: RequestContext, req: SearchRequest): number {
  const { searchDefaultCount, searchMaxCount } = ctx.services.config;
  return Math.min(req.count ?? searchDefaultCount, searchMaxCount);
}

/** One searchset Bundle page of `type` resources matching `pairs`, as the caller may see them. */
export async function searchType(ctx: RequestContext, type: string, pairs: QueryPairs, options: SearchOptions): Promise<Bundle> {
  if (!isSupportedType(type)) throw notFound('UNSUPPORTED_TYPE', `resource type "${type}" is not supported by this server`);
  const { compartment, narrow } = options;
  if (compartment) assertId(compartment.id);
  const { store, config, clock } = ctx.services;

  const req = parseSearch(type, pairs, { lenient: options.lenient });
  const inCompartment = compartment ? patientCompartmentFilter(type, compartment.id, ctx.baseUrl) : undefined;
  const { resolve, resolveValues } = storeResolvers(store, narrow ?? noNarrow);
  const compiled = await compileSearch(req, resolve, { resolveValues, baseUrl: ctx.baseUrl, now: clock() });
  // DMP R7.3/R8.3: archived and superseded documents leave searches that do not ask for them.
  const filter = narrowed(narrow, type, and(compiled.filter, inCompartment, defaultSearchFilter(req)));
  const sort = withIdTieBreak(compiled.sort.length > 0 ? compiled.sort : DEFAULT_SORT);
  const count = pageSize(ctx, req);
  const cursor = req.cursor ? decodeCursor(req.cursor, sort) : undefined;

  const totalOnly = req.summary === 'count' || count === 0;
  const withTotal = req.summary === 'count' || req.total !== 'none';
  const [total, page] = await Promise.all([
    withTotal ? store.count(type, filter) : Promise.resolve(undefined),
    totalOnly ? Promise.resolve<Page>({ rows: [] }) : fetchPage(store, { type, filter, sort, count, cursor }),
  ]);
  const included = await findIncludes(
    { store, narrow, baseUrl: ctx.baseUrl, limit: config.searchMaxCount },
    page.rows,
    req.include,
    req.revinclude,
  );

  const summary = { summary: req.summary };
  const entries: BundleEntry[] = [
    ...page.rows.map((row) => entry(ctx.baseUrl, row, { ...summary, elements: req.elements }, 'match')),
    ...included.rows.map((row) => entry(ctx.baseUrl, row, summary, 'include')),
    ...(included.truncated ? [truncationWarning(config.searchMaxCount)] : []),
  ];

  const path = compartment ? `${ctx.baseUrl}/Patient/${compartment.id}/${type}` : `${ctx.baseUrl}/${type}`;
  const links = searchLinks(
    { path, pairs: req.selfPairs, ...(req.count !== undefined ? { count } : {}) },
    {
      self: req.cursor,
      ...(page.nextKey ? { next: encodeCursor({ direction: 'next', key: page.nextKey }, sort) } : {}),
      ...(page.previousKey ? { previous: encodeCursor({ direction: 'previous', key: page.previousKey }, sort) } : {}),
    },
  );
  return bundle('searchset', entries, {
    id: randomUUID(),
    meta: { lastUpdated: clock().toISOString() },
    ...(total !== undefined ? { total } : {}),
    link: links,
  });
}

/**
 * The rows conditional create, update and delete act on: criteria parsed strictly (a typo must not
 * widen a conditional delete to "everything"), narrowed like any search, at most two returned since
 * callers only need to tell none, one and several apart.
 */
export async function findMatches(ctx: RequestContext, type: string, queryString: string, narrow?: Narrow): Promise<StoredRow[]> {
  const { store } = ctx.services;
  const pairs = [...new URLSearchParams(queryString.replace(/^\?/, ''))] as QueryPairs;
  const req = parseSearch(type, pairs, { lenient: false });
  const { resolve, resolveValues } = storeResolvers(store, narrow ?? noNarrow);
  const filter = await compileCriteria(type, req.criteria, resolve, { resolveValues, baseUrl: ctx.baseUrl, now: ctx.services.clock() });
  return store.find(type, { filter: narrowed(narrow, type, filter), limit: 2 });
}
