import type { Filter, SortSpec } from '../store/store.js';
import type { QueryPairs } from '../interactions/context.js';

/**
 * The shapes shared by the search parser, the compiler and the search interaction. The parser turns
 * a query string into a SearchRequest (400 on unknown or malformed parameters unless lenient); the
 * compiler turns its criteria into a store Filter; the interaction applies paging, includes and
 * result shaping.
 */

export type SearchParamType = 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';

/** One supported search parameter of one resource type, taken from a SearchParameter definition. */
export interface SearchParamDef {
  code: string;
  url: string;
  type: SearchParamType;
  /** The FHIRPath expression restricted to this resource type, as evaluated at write time. */
  expression: string;
  /** For references: the resource types the parameter may point to. */
  target?: string[];
  description?: string;
}

/** One criterion of the query: a parameter (possibly chained) with its OR-ed values. */
export interface Criterion {
  /** Parameter code on the searched type (`subject`, `_id`, `_has:…` keeps its raw name here). */
  code: string;
  modifier?: string;
  /**
   * For chained parameters: `subject:Patient.identifier` → chain [{ code: 'subject', type: 'Patient' }]
   * then `identifier`, i.e. `[{ code: 'subject', type: 'Patient' }, { code: 'identifier' }]`: every link
   * in order, the last one being the parameter searched on the final type (`modifier` applies to it).
   * `code` is then the first link's code.
   */
  chain?: Array<{ code: string; type?: string }>;
  /** For `_has:Type:ref:param`. */
  has?: { type: string; reference: string; inner: Criterion };
  /** The comma-separated values, unescaped, OR-ed. */
  values: string[];
  /**
   * The same values with their escapes kept (`a\|b`), so that the compiler can still tell a literal
   * `|` or `$` from a separator. Set by `parseSearch`; when absent the compiler reads `values`.
   */
  raw?: string[];
}

export interface IncludeSpec {
  /** `Type:param[:targetType]`, or `*`. */
  sourceType: string;
  param: string;
  targetType?: string;
  iterate: boolean;
}

export interface SearchRequest {
  type: string;
  /** AND-ed criteria. */
  criteria: Criterion[];
  sort: Array<{ code: string; direction: 1 | -1 }>;
  count?: number;
  total?: 'none' | 'estimate' | 'accurate';
  summary?: 'true' | 'false' | 'count' | 'data' | 'text';
  elements?: string[];
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  /** Paging state carried by next/previous links (opaque to clients). */
  cursor?: string;
  /** The pairs that were understood, for the `self` link (ignored ones left out under lenient handling). */
  selfPairs: QueryPairs;
}

/**
 * Finds ids of resources of a type matching a filter, with the caller's access filter already
 * applied: chaining and `_has` resolve their inner queries through it, so they cannot reveal what the
 * caller may not see.
 */
export type IdResolver = (type: string, filter: Filter) => Promise<string[]>;

/**
 * Finds the values of one row field (`idx.patient`, `idx.item`) over the resources of a type matching
 * a filter, with the caller's access filter applied, at most `limit` rows read: `_has` and `_list` need
 * the references those resources hold, not their ids. `storeResolvers` (resolvers.ts) builds both
 * resolvers from a Store and a Narrow.
 */
export type ValueResolver = (type: string, filter: Filter, field: string, limit: number) => Promise<unknown[]>;

/** An extra filter fragment per type, ANDed into every query a search runs (access rules). */
export type Narrow = (type: string) => Filter | undefined;

export interface CompiledSearch {
  filter: Filter;
  sort: SortSpec;
}
