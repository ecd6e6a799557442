import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { bundle, fullUrl, link } from '../fhir/bundle.js';
import { badRequest } from '../fhir/errors.js';
import type { HistoryQuery, StoredRow } from '../store/store.js';
import type { QueryPairs, RequestContext } from './context.js';
import { readCurrent } from './read.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

interface HistoryParams {
  count: number;
  since?: string;
  /** Upper bound fixed by the first page, so later pages ignore versions written since. */
  snapshot?: string;
  offset: number;
}

function instant(name: string, value: string): string {
  const ms = Date.parse(value);
  if (!INSTANT.test(value) || Number.isNaN(ms)) throw badRequest('INVALID_PARAMETER', `${name} must be an instant such as 2024-01-31T10:00:00Z, got "${value}"`);
  return new Date(ms).toISOString();
}

function parse(ctx: RequestContext, pairs: QueryPairs): HistoryParams {
  const { searchDefaultCount, searchMaxCount } = ctx.services.config;
  const params: HistoryParams = { count: searchDefaultCount, offset: 0 };
  for (const [name, value] of pairs) {
    if (name === '_count') {
      if (!/^\d+$/.test(value)) throw badRequest('INVALID_PARAMETER', `_count must be a non-negative integer, got "${value}"`);
      params.count = Math.min(Number(value), searchMaxCount);
    } else if (name === '_since') params.since = instant('_since', value);
    else if (name === '_snapshot') params.snapshot = instant('_snapshot', value);
    else if (name === '_offset') {
      if (!/^\d{1,9}$/.test(value)) throw badRequest('INVALID_PARAMETER', `_offset must be a non-negative integer`);
      params.offset = Number(value);
    } else throw badRequest('UNKNOWN_PARAMETER', `history does not support the parameter "${name}" (only _count and _since)`);
  }
  return params;
}

function entry(baseUrl: string, row: StoredRow): BundleEntry {
  const url = fullUrl(baseUrl, row.type, row.id);
  const method = row.deleted ? 'DELETE' : row.versionId === 1 ? 'POST' : 'PUT';
  return {
    fullUrl: url,
    ...(row.resource ? { resource: row.resource as FhirResource } : {}),
    request: { method, url: method === 'POST' ? row.type : `${row.type}/${row.id}` },
    response: {
      status: row.deleted ? '204' : row.versionId === 1 ? '201' : '200',
      etag: `W/"${row.versionId}"`,
      lastModified: row.lastUpdated,
    },
  };
}

/** `GET [type]/[id]/_history` and `GET [type]/_history`: versions newest first, paged over a fixed snapshot. */
export async function history(ctx: RequestContext, type: string, id: string | undefined, pairs: QueryPairs): Promise<Bundle> {
  const { store, clock } = ctx.services;
  if (id !== undefined) await readCurrent(ctx, type, id, 'history');
  else await ctx.guard?.typeHistory(type);
  const params = parse(ctx, pairs);
  const snapshot = params.snapshot ?? new Date(clock().getTime() + 1).toISOString();
  const query: HistoryQuery = { since: params.since, before: snapshot };
  const [total, rows] = await Promise.all([
    store.historyCount(type, id, query),
    params.count === 0 ? Promise.resolve([]) : store.history(type, id, { ...query, skip: params.offset, limit: params.count }),
  ]);

  const path = `${ctx.baseUrl}/${type}${id ? `/${id}` : ''}/_history`;
  const page = (offset: number) => {
    const q = new URLSearchParams({ _count: String(params.count) });
    if (params.since) q.set('_since', params.since);
    q.set('_snapshot', snapshot);
    q.set('_offset', String(offset));
    return `${path}?${q}`;
  };
  const links = [link('self', page(params.offset))];
  if (params.count > 0 && params.offset + params.count < total) links.push(link('next', page(params.offset + params.count)));
  if (params.offset > 0) links.push(link('previous', page(Math.max(0, params.offset - params.count))));
  return bundle('history', rows.map((row) => entry(ctx.baseUrl, row)), { total, link: links });
}
