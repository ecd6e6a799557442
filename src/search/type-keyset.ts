import { createHash } from 'node:crypto';
import { badRequest } from '../fhir/errors.js';
import type { Filter, SortSpec, Store, StoredRow } from '../store/store.js';
import { CURSOR_PARAM } from './cursor.js';
import { after } from './keyset.js';
import { and } from './narrowed.js';

/**
 * Keyset paging over several resource types read one after the other (`Patient/[id]/$everything`):
 * the order is (type in the request's order, then id ascending), and a page token is the (type, id)
 * of the last row returned. As with search paging (keyset.ts, cursor.ts) the token carries no
 * snapshot and no server state: rows that exist for the whole walk are returned exactly once, a row
 * created meanwhile appears if its key sorts after the token, and any node can serve the next page.
 */

/** One type's query: its filter already holds the caller's access fragment. */
export interface TypeQuery {
  type: string;
  filter: Filter;
}

export interface TypedKey {
  type: string;
  id: string;
}

export interface TypePage {
  rows: StoredRow[];
  /** The key of the last row when more rows follow. */
  next?: TypedKey;
}

const BY_ID: SortSpec = [['id', 1]];

/** The rows of `count` after `from`, walking the types in order; one row more tells whether more follow. */
export async function fetchAcrossTypes(store: Store, queries: readonly TypeQuery[], count: number, from?: TypedKey): Promise<TypePage> {
  if (count <= 0) return { rows: [] };
  const start = from ? queries.findIndex((q) => q.type === from.type) : 0;
  const found: StoredRow[] = [];
  for (let i = Math.max(start, 0); i < queries.length && found.length <= count; i++) {
    const { type, filter } = queries[i]!;
    const rest = from && i === start ? and(filter, after(BY_ID, [from.id])) : filter;
    found.push(...(await store.find(type, { filter: rest, sort: BY_ID, limit: count + 1 - found.length })));
  }
  const rows = found.slice(0, count);
  const last = rows[rows.length - 1];
  return found.length > count && last ? { rows, next: { type: last.type, id: last.id } } : { rows };
}

interface Token {
  t: string;
  i: string;
  /** What the key belongs to (patient, types, filters): a token pasted onto another request is refused. */
  s: string;
}

/** A short digest of what a token is valid for. */
export function signatureOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeTypedKey(key: TypedKey, signature: string): string {
  const token: Token = { t: key.type, i: key.id, s: signature };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function invalid(): never {
  throw badRequest('INVALID_CURSOR', `${CURSOR_PARAM} is not a paging token of this request; follow the links of the Bundle`);
}

export function decodeTypedKey(raw: string, signature: string, types: readonly string[]): TypedKey {
  let token: Partial<Token> | null;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) invalid();
    token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Token> | null;
  } catch {
    invalid();
  }
  if (token === null || typeof token !== 'object' || token.s !== signature) invalid();
  if (typeof token.t !== 'string' || !types.includes(token.t) || typeof token.i !== 'string' || token.i === '') invalid();
  return { type: token.t, id: token.i };
}
