import type { BundleLink } from 'fhir/r4';
import { link } from '../fhir/bundle.js';
import type { QueryPairs } from '../interactions/context.js';
import { CURSOR_PARAM } from './cursor.js';

/**
 * The URLs of a searchset's links. They are GET URLs even for `POST _search`, built from the pairs
 * the parser understood (so parameters ignored under lenient handling never appear), with `_count`
 * as applied after the cap and the paging token last.
 */

/** Characters FHIR queries use that need no escaping in a query string, kept readable. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%3A/gi, ':').replace(/%7C/gi, '|').replace(/%2C/gi, ',').replace(/%2F/gi, '/');
}

export function queryString(pairs: QueryPairs): string {
  return pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&');
}

export interface LinkBase {
  /** `[base]/[type]` or `[base]/Patient/[id]/[type]`. */
  path: string;
  /** The understood pairs, paging token included or not: it is replaced here. */
  pairs: QueryPairs;
  /** The page size applied, written only when the client gave `_count`. */
  count?: number;
}

export function pageUrl(base: LinkBase, cursor?: string): string {
  const pairs: QueryPairs = base.pairs
    .filter(([name]) => name !== CURSOR_PARAM)
    .map(([name, value]) => [name, name === '_count' && base.count !== undefined ? String(base.count) : value]);
  if (cursor) pairs.push([CURSOR_PARAM, cursor]);
  const query = queryString(pairs);
  return query ? `${base.path}?${query}` : base.path;
}

export interface PageLinks {
  /** Token of the page being returned, when it was reached through a link. */
  self?: string;
  next?: string;
  previous?: string;
}

export function searchLinks(base: LinkBase, tokens: PageLinks): BundleLink[] {
  const links = [link('self', pageUrl(base, tokens.self)), link('first', pageUrl(base))];
  if (tokens.previous) links.push(link('previous', pageUrl(base, tokens.previous)));
  if (tokens.next) links.push(link('next', pageUrl(base, tokens.next)));
  return links;
}
