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
  /** For chained parameters: `subject:Patient.identifier` → chain [{ code: 'subject', type: 'Patient' }] then `identifier`. */
  chain?: Array<{ code: string; type?: string }>;
  /** For `_has:Type:ref:param`. */
  has?: { type: string; reference: string; inner: Criterion };
  /** The comma-separated values, unescaped, OR-ed. */
  values: string[];
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

/** An extra filter fragment per type, ANDed into every query a search runs (access rules). */
export type Narrow = (type: string) => Filter | undefined;

export interface CompiledSearch {
  filter: Filter;
  sort: SortSpec;
}
