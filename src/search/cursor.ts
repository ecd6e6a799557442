import { badRequest } from '../fhir/errors.js';
import type { SortSpec } from '../store/store.js';
import type { SortValue } from './keyset.js';

/**
 * The opaque paging token of `next` and `previous` links: the sort keys and id of the row a page
 * starts after (next) or ends before (previous). It carries no snapshot and no server state, so any
 * node behind the load balancer can serve the next page.
 */

/** Query parameter that carries the token in paging links. */
export const CURSOR_PARAM = '_cursor';

export interface Cursor {
  direction: 'next' | 'previous';
  /** One value per field of the sort spec, the final `id` included. */
  key: SortValue[];
}

interface Token {
  d: 'n' | 'p';
  k: SortValue[];
  /** The sort the keys belong to: a token pasted onto another `_sort` is refused, not misread. */
  s: string;
}

function signature(spec: SortSpec): string {
  return spec.map(([field, direction]) => `${direction === -1 ? '-' : ''}${field}`).join(',');
}

export function encodeCursor(cursor: Cursor, spec: SortSpec): string {
  const token: Token = { d: cursor.direction === 'next' ? 'n' : 'p', k: cursor.key, s: signature(spec) };
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function invalid(): never {
  throw badRequest('INVALID_CURSOR', `${CURSOR_PARAM} is not a paging token of this search; follow the links of the Bundle`);
}

function isSortValue(v: unknown): v is SortValue {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

export function decodeCursor(raw: string, spec: SortSpec): Cursor {
  let token: Partial<Token>;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(raw)) invalid();
    token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Token>;
  } catch {
    invalid();
  }
  if (token === null || typeof token !== 'object') invalid();
  if (token.d !== 'n' && token.d !== 'p') invalid();
  if (token.s !== signature(spec)) invalid();
  if (!Array.isArray(token.k) || token.k.length !== spec.length || !token.k.every(isSortValue)) invalid();
  return { direction: token.d === 'n' ? 'next' : 'previous', key: token.k };
}
