import type { Resource } from 'fhir/r4';
import type { DateRange, IndexValues } from '../store/store.js';
import { compiledParameters, type CompiledComponent, type CompiledParam } from './definitions.js';
import type { TypedValue } from './expression.js';
import * as extract from './extract-values.js';
import type { NumberRange } from './number-range.js';
import type { SearchParamType } from './types.js';

/**
 * Search index values of a resource, computed once per write: every search parameter of its type
 * evaluated and normalised (`extract-values.ts`), stored under `idx[code]` and the modifier keys.
 * Only keys with values are present, so `:missing` is a test of existence. Each sortable parameter
 * also gets `idx['<code>:sort']`, a one-element array holding the value `_sort` orders by (the
 * smallest: earliest start of a date, family-then-given of a name, first code of a token).
 */

type Extractor = (out: extract.Collector, code: string, value: TypedValue) => void;

const EXTRACTORS: Partial<Record<SearchParamType, Extractor>> = {
  token: extract.token,
  string: extract.string,
  reference: extract.reference,
  date: extract.date,
  number: extract.number,
  quantity: extract.quantity,
  uri: extract.uri,
};

/** The exact-match keys of one composite component value (`code` of a token, `Type/id` of a reference). */
function componentKeys(component: CompiledComponent, item: unknown): string[] {
  const scratch: extract.Collector = new Map();
  const fn = EXTRACTORS[component.type];
  if (fn) for (const v of component.evaluate(item)) fn(scratch, 'k', v);
  return [...(scratch.get('k')?.values() ?? [])].filter((v): v is string => typeof v === 'string');
}

/** Each combination of component values, joined with `$` as a composite search value is. */
function composite(out: extract.Collector, param: CompiledParam, items: TypedValue[]): void {
  for (const item of items) {
    let combos: string[] = [''];
    for (const [i, component] of (param.components ?? []).entries()) {
      const keys = componentKeys(component, item.value);
      combos = combos.flatMap((prefix) => keys.map((k) => (i === 0 ? k : `${prefix}$${k}`)));
    }
    for (const c of combos) if (c) extract.add(out, param.def.code, c);
  }
}

function sortValue(type: SearchParamType, values: unknown[]): unknown {
  switch (type) {
    case 'date':
      return (values as DateRange[]).reduce((min, r) => (r.lo < min ? r.lo : min), (values[0] as DateRange).lo);
    case 'number':
    case 'quantity':
      return Math.min(...(values as NumberRange[]).map((r) => r.v));
    case 'token': {
      const plain = (values as string[]).filter((v) => !v.includes('|')).sort();
      return plain[0] ?? [...(values as string[])].sort()[0];
    }
    default:
      return [...(values as string[])].sort()[0];
  }
}

export function extractIndex(resource: Resource): IndexValues {
  const out: extract.Collector = new Map();
  const types = new Map<string, SearchParamType>();
  for (const param of compiledParameters(resource.resourceType)) {
    if (!param.evaluate) continue;
    const values = param.evaluate(resource);
    if (!values.length) continue;
    types.set(param.def.code, param.def.type);
    if (param.def.type === 'composite') composite(out, param, values);
    else {
      const fn = EXTRACTORS[param.def.type];
      if (fn) for (const v of values) fn(out, param.def.code, v);
    }
  }
  const idx: IndexValues = {};
  for (const [key, values] of out) if (!key.endsWith(':sort')) idx[key] = [...values.values()];
  for (const [code, type] of types) {
    const main = idx[code];
    if (type === 'composite' || !main) continue;
    const candidates = type === 'string' ? [...(out.get(`${code}:sort`)?.values() ?? main)] : main;
    idx[`${code}:sort`] = [sortValue(type, candidates)];
  }
  return idx;
}
