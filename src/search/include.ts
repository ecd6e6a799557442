import { isSupportedType, RESOURCE_TYPES } from '../fhir/registry.js';
import type { Filter, Store, StoredRow } from '../store/store.js';
import { searchParametersFor } from './definitions.js';
import { defaultSearchFilter } from './dmp-defaults.js';
import { and, narrowed } from './narrowed.js';
import { localReference, referenceForms } from './normalise.js';
import type { IncludeSpec, Narrow } from './types.js';

/**
 * `_include` and `_revinclude` (with `:iterate` and `*`). References are read from the stored `idx`
 * of the rows already found, never by re-parsing resources; every lookup is narrowed, so an include
 * never brings in what the caller may not see. Deleted targets are absent because the store's
 * `find` never returns tombstones.
 */

export interface IncludeContext {
  store: Store;
  narrow?: Narrow;
  baseUrl: string;
  /** Most resources all includes together may add; beyond it the result is cut and flagged. */
  limit: number;
}

export interface IncludeResult {
  rows: StoredRow[];
  /** True when `limit` cut the included set short. */
  truncated: boolean;
}

/** `:iterate` stops here even if a cycle of references keeps bringing new resources. */
const MAX_ROUNDS = 8;

const key = (type: string, id: string) => `${type}/${id}`;

/** Reference parameters of `type` that `spec` names (all of them for `*`). */
function referenceParams(type: string, param: string): string[] {
  const refs = searchParametersFor(type).filter((d) => d.type === 'reference');
  if (param === '*') return refs.map((d) => d.code);
  return refs.some((d) => d.code === param) ? [param] : [];
}

const appliesTo = (spec: IncludeSpec, type: string) => spec.sourceType === '*' || spec.sourceType === type;

/** Targets named by `_include` specs in the `idx` of `sources`, grouped by type. */
function forwardTargets(specs: IncludeSpec[], sources: StoredRow[], baseUrl: string): Map<string, Set<string>> {
  const targets = new Map<string, Set<string>>();
  for (const row of sources) {
    for (const spec of specs) {
      if (!appliesTo(spec, row.type)) continue;
      for (const param of referenceParams(row.type, spec.param)) {
        for (const value of row.idx[param] ?? []) {
          if (typeof value !== 'string') continue;
          const local = localReference(value, baseUrl);
          if (!local || !isSupportedType(local.type)) continue;
          if (spec.targetType && spec.targetType !== local.type) continue;
          if (!targets.has(local.type)) targets.set(local.type, new Set());
          targets.get(local.type)!.add(local.id);
        }
      }
    }
  }
  return targets;
}

/** One query per (source type, parameter) of the `_revinclude` specs: rows that reference `sources`. */
function reverseQueries(specs: IncludeSpec[], sources: StoredRow[], baseUrl: string): Array<{ type: string; filter: Filter }> {
  const queries: Array<{ type: string; filter: Filter }> = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    const referenced = sources.filter((r) => !spec.targetType || spec.targetType === r.type);
    if (referenced.length === 0) continue;
    const forms = referenced.flatMap((r) => referenceForms(r.type, r.id, baseUrl));
    const types = spec.sourceType === '*' ? [...RESOURCE_TYPES] : [spec.sourceType];
    for (const type of types) {
      for (const param of referenceParams(type, spec.param)) {
        const id = `${type}.${param}`;
        if (seen.has(id)) continue;
        seen.add(id);
        // A reverse include is a search of `type`: its defaults apply (DMP R7.3/R8.3: no archived or
        // superseded documents), whereas `_include` names its targets, like a read by id.
        const defaults = defaultSearchFilter({ type, criteria: [], sort: [], include: [], revinclude: [], selfPairs: [] });
        queries.push({ type, filter: and({ [`idx.${param}`]: { $in: forms } }, defaults) });
      }
    }
  }
  return queries;
}

/**
 * The resources `_include`/`_revinclude` add to `matches`, each once and never one already matched.
 * Round 0 applies every spec to the matches; later rounds apply only `:iterate` specs to what the
 * previous round added.
 */
export async function findIncludes(
  ctx: IncludeContext,
  matches: StoredRow[],
  include: IncludeSpec[],
  revinclude: IncludeSpec[],
): Promise<IncludeResult> {
  const seen = new Set(matches.map((r) => key(r.type, r.id)));
  const added: StoredRow[] = [];
  let truncated = false;
  let sources = matches;
  for (let round = 0; round < MAX_ROUNDS && sources.length > 0 && !truncated; round++) {
    const inc = round === 0 ? include : include.filter((s) => s.iterate);
    const rev = round === 0 ? revinclude : revinclude.filter((s) => s.iterate);
    if (inc.length === 0 && rev.length === 0) break;

    const queries: Array<{ type: string; filter: Filter }> = [];
    for (const [type, ids] of forwardTargets(inc, sources, ctx.baseUrl)) {
      const wanted = [...ids].filter((id) => !seen.has(key(type, id)));
      if (wanted.length > 0) queries.push({ type, filter: { id: { $in: wanted } } });
    }
    queries.push(...reverseQueries(rev, sources, ctx.baseUrl));

    const fresh: StoredRow[] = [];
    for (const q of queries) {
      const room = ctx.limit - added.length - fresh.length;
      // Rows already in the Bundle may come back too; one more than that and the room reveals a cut.
      const already = [...seen].filter((k) => k.startsWith(`${q.type}/`)).length;
      const rows = await ctx.store.find(q.type, { filter: narrowed(ctx.narrow, q.type, q.filter), limit: room + already + 1 });
      for (const row of rows) {
        if (seen.has(key(row.type, row.id))) continue;
        if (added.length + fresh.length >= ctx.limit) {
          truncated = true;
          break;
        }
        seen.add(key(row.type, row.id));
        fresh.push(row);
      }
      if (truncated) break;
    }
    added.push(...fresh);
    sources = fresh;
  }
  return { rows: added, truncated };
}
