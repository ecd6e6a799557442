import { ERROR_CODE_SYSTEM, FhirError, badRequest } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import type { Filter, SortSpec } from '../store/store.js';
import { ROW_FIELDS, componentTypes, searchParameter } from './definitions.js';
import { valueFilter } from './compile-value.js';
import { localReference, referenceForms } from './normalise.js';
import { parseValue } from './parse-value.js';
import type { CompiledSearch, Criterion, IdResolver, SearchParamDef, SearchRequest, ValueResolver } from './types.js';

/**
 * SearchRequest → one MongoDB filter over row fields (`idx.*`, `id`, `lastUpdated`) and a sort. Chains,
 * `_has` and `_list` are resolved to ids first, through resolvers that apply the caller's access
 * filter, then looked up with `$in`; beyond `maxIds` the query is refused as too costly rather than
 * turned into an unbounded `$in`.
 */

export interface CompileOptions {
  /** Needed by `_has` and `_list`; without it they are refused. */
  resolveValues?: ValueResolver;
  /** Most ids (or references) an inner query may yield; default 10,000. */
  maxIds?: number;
  /** "Now" for the `ap` prefix; default the current time. */
  now?: Date;
  /** Our public base URL, so that absolute references on it match relative ones. */
  baseUrl?: string;
}

interface Context {
  resolve: IdResolver;
  resolveValues?: ValueResolver;
  maxIds: number;
  now: Date;
  baseUrl?: string;
}

export const DEFAULT_MAX_IDS = 10_000;

const and = (filters: Filter[]): Filter => (filters.length === 0 ? {} : filters.length === 1 ? filters[0]! : { $and: filters });

function tooCostly(what: string, max: number): FhirError {
  const diagnostics = `${what} matches more than ${max} resources; narrow it down`;
  return new FhirError(400, 'SEARCH_TOO_COSTLY', [
    { severity: 'error', code: 'too-costly', details: { coding: [{ system: ERROR_CODE_SYSTEM, code: 'SEARCH_TOO_COSTLY' }] }, diagnostics },
  ]);
}

function fieldOf(def: SearchParamDef): string {
  return ROW_FIELDS[def.code] ?? `idx.${def.code}`;
}

function simpleFilter(type: string, c: Criterion, ctx: Context): Filter {
  const def = searchParameter(type, c.code);
  if (!def) throw badRequest('UNKNOWN_PARAMETER', `Unknown search parameter '${c.code}' for ${type}`);
  const components = componentTypes(type, c.code);
  const target = { name: c.code, type: def.type, ...(components ? { components } : {}) };
  const values = (c.raw ?? c.values).map((r) => parseValue(target, c.modifier, r));
  return valueFilter(def, fieldOf(def), c.modifier, values, { now: ctx.now, ...(ctx.baseUrl ? { baseUrl: ctx.baseUrl } : {}) });
}

/** Ids of the local resources of `type` among references (relative, or absolute on our base). */
function idsOfType(references: unknown[], type: string, baseUrl?: string): string[] {
  const ids = new Set<string>();
  for (const r of references) {
    const local = typeof r === 'string' ? localReference(r, baseUrl) : undefined;
    if (local?.type === type) ids.add(local.id);
  }
  return [...ids];
}

/** `subject:Patient.identifier=x` → `idx.subject` among the references of the Patients with that identifier. */
async function chainFilter(type: string, c: Criterion, ctx: Context): Promise<Filter> {
  const [link, next, ...rest] = c.chain!;
  if (!link || !next) return simpleFilter(type, { ...c, chain: undefined } as Criterion, ctx);
  const def = searchParameter(type, link.code);
  if (def?.type !== 'reference') throw badRequest('INVALID_PARAMETER', `'${link.code}' of ${type} is not a reference and cannot be chained`);
  const targets = (link.type ? [link.type] : (def.target ?? []).filter(isSupportedType)).filter((t) => searchParameter(t, next.code));
  const inner: Criterion = rest.length ? { ...c, code: next.code, chain: [next, ...rest] } : { ...c, code: next.code, chain: undefined };
  const found = await Promise.all(
    targets.map(async (t) => ({ t, ids: await ctx.resolve(t, await criterionFilter(t, inner, ctx)) })),
  );
  const total = found.reduce((n, f) => n + f.ids.length, 0);
  if (total > ctx.maxIds) throw tooCostly(`The chained parameter '${c.chain!.map((l) => l.code).join('.')}'`, ctx.maxIds);
  const refs = found.flatMap(({ t, ids }) => ids.flatMap((id) => referenceForms(t, id, ctx.baseUrl)));
  return { [`idx.${link.code}`]: { $in: refs } };
}

async function referencedIds(type: string, source: string, filter: Filter, field: string, what: string, ctx: Context): Promise<Filter> {
  if (!ctx.resolveValues) throw badRequest('UNSUPPORTED_PARAMETER', `${what} is not available on this search`);
  const refs = await ctx.resolveValues(source, filter, field, ctx.maxIds + 1);
  if (refs.length > ctx.maxIds) throw tooCostly(what, ctx.maxIds);
  return { id: { $in: idsOfType(refs, type, ctx.baseUrl) } };
}

/** `_has:Observation:patient:code=x` → ids of the resources those Observations' `patient` points to. */
async function hasFilter(type: string, c: Criterion, ctx: Context): Promise<Filter> {
  const has = c.has!;
  const inner = await criterionFilter(has.type, has.inner, ctx);
  return referencedIds(type, has.type, inner, `idx.${has.reference}`, `'${c.code}'`, ctx);
}

async function criterionFilter(type: string, c: Criterion, ctx: Context): Promise<Filter> {
  if (c.has) return hasFilter(type, c, ctx);
  if (c.code === '_list') return referencedIds(type, 'List', { id: { $in: c.values } }, 'idx.item', '_list', ctx);
  if (c.chain && c.chain.length > 1) return chainFilter(type, c, ctx);
  return simpleFilter(type, c, ctx);
}

function context(resolve: IdResolver, options: CompileOptions): Context {
  return {
    resolve,
    maxIds: options.maxIds ?? DEFAULT_MAX_IDS,
    now: options.now ?? new Date(),
    ...(options.resolveValues ? { resolveValues: options.resolveValues } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  };
}

/** The AND of criteria on one type, as conditional create/update/delete need it (no sort, no paging). */
export async function compileCriteria(type: string, criteria: Criterion[], resolve: IdResolver, options: CompileOptions = {}): Promise<Filter> {
  const ctx = context(resolve, options);
  return and(await Promise.all(criteria.map((c) => criterionFilter(type, c, ctx))));
}

/** `_sort` keys on the `:sort` index values (`_id` and `_lastUpdated` on their row fields). */
export function compileSort(type: string, sort: SearchRequest['sort']): SortSpec {
  return sort.map(({ code, direction }) => {
    if (!searchParameter(type, code)) throw badRequest('INVALID_PARAMETER', `Search parameter '_sort': '${code}' is not a search parameter of ${type}`);
    return [ROW_FIELDS[code] ?? `idx.${code}:sort`, direction];
  });
}

export async function compileSearch(req: SearchRequest, resolve: IdResolver, options: CompileOptions = {}): Promise<CompiledSearch> {
  return { filter: await compileCriteria(req.type, req.criteria, resolve, options), sort: compileSort(req.type, req.sort) };
}
