import { badRequest } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import { componentTypes, searchParameter } from './definitions.js';
import type { ValueTarget } from './parse-value.js';
import type { Criterion, SearchParamDef, SearchParamType } from './types.js';

/**
 * The left-hand side of a search pair: `name`, `name:modifier`, chains (`subject:Patient.name`) and
 * reverse chains (`_has:Observation:patient:code`), checked against the search parameters of each
 * type they cross. Unknown names throw UNKNOWN_PARAMETER, which lenient handling may ignore;
 * modifiers we do not offer throw UNSUPPORTED_MODIFIER, likewise.
 */

const MODIFIERS: Record<SearchParamType, string[]> = {
  string: ['exact', 'contains', 'missing'],
  token: ['not', 'text', 'of-type', 'missing'],
  reference: ['missing', 'identifier'],
  date: ['missing'],
  number: ['missing'],
  quantity: ['missing'],
  uri: ['missing', 'below', 'above'],
  composite: [],
  special: [],
};
const ROW_MODIFIERS: Record<string, string[]> = { _id: ['not'], _lastUpdated: [] };
const NOT_OFFERED = new Set(['above', 'below', 'in', 'not-in', 'text', 'type', 'iterate']);

export const unknownParameter = (type: string, name: string) =>
  badRequest('UNKNOWN_PARAMETER', `Unknown search parameter '${name}' for ${type}`);

/** The parsed name, plus what its values are checked against. */
export interface ParsedName {
  criterion: Omit<Criterion, 'values'>;
  target: ValueTarget;
}

function checkModifier(type: string, def: SearchParamDef, modifier: string | undefined, name: string): void {
  if (modifier === undefined) return;
  const allowed = ROW_MODIFIERS[def.code] ?? MODIFIERS[def.type];
  if (allowed.includes(modifier)) return;
  if (def.type === 'reference' && /^[A-Z][A-Za-z]+$/.test(modifier)) {
    if (!isSupportedType(modifier) || (def.target && !def.target.includes(modifier))) {
      throw badRequest('INVALID_PARAMETER', `Search parameter '${name}': ${def.code} of ${type} cannot point to ${modifier}`);
    }
    return;
  }
  const why = NOT_OFFERED.has(modifier) ? 'is not supported by this server' : 'is not a modifier of this parameter';
  throw badRequest('UNSUPPORTED_MODIFIER', `Search parameter '${name}': modifier :${modifier} ${why} (${def.type} parameter of ${type})`);
}

function definition(type: string, code: string, name: string): SearchParamDef {
  const def = searchParameter(type, code);
  if (!def) throw unknownParameter(type, name);
  return def;
}

/** The types a reference link may reach: its type modifier, else its supported targets. */
function linkTargets(def: SearchParamDef, typeModifier: string | undefined): string[] {
  if (typeModifier) return [typeModifier];
  return (def.target ?? []).filter(isSupportedType);
}

function parseChain(type: string, name: string): ParsedName {
  const links = name.split('.');
  const chain: Array<{ code: string; type?: string }> = [];
  let types = [type];
  for (const [i, link] of links.entries()) {
    const last = i === links.length - 1;
    const [code, modifier, extra] = link.split(':');
    if (!code || extra !== undefined) throw unknownParameter(type, name);
    const defs = types.map((t) => searchParameter(t, code)).filter((d): d is SearchParamDef => !!d);
    if (!defs.length) throw unknownParameter(type, name);
    if (last) {
      const def = defs[0]!;
      checkModifier(types[0]!, def, modifier, name);
      chain.push({ code });
      const components = componentTypes(types[0]!, code);
      return {
        criterion: { code: chain[0]!.code, chain, ...(modifier ? { modifier } : {}) },
        target: { name, type: def.type, ...(components ? { components } : {}) },
      };
    }
    if (defs.some((d) => d.type !== 'reference')) throw badRequest('INVALID_PARAMETER', `Search parameter '${name}': ${code} is not a reference and cannot be chained`);
    if (modifier) for (const def of defs) checkModifier(types[0]!, def, modifier, name);
    chain.push(modifier ? { code, type: modifier } : { code });
    types = [...new Set(defs.flatMap((d) => linkTargets(d, modifier)))];
    if (!types.length) throw badRequest('INVALID_PARAMETER', `Search parameter '${name}': ${code} points to no type this server holds`);
  }
  throw unknownParameter(type, name);
}

function parseHas(type: string, name: string): ParsedName {
  const [, source, ref, ...rest] = name.split(':');
  if (!source || !ref || !rest.length) throw badRequest('INVALID_PARAMETER', `'${name}' must read _has:Type:reference:parameter`);
  if (!isSupportedType(source)) throw badRequest('INVALID_PARAMETER', `'${name}': ${source} is not a type this server holds`);
  const refDef = definition(source, ref, name);
  if (refDef.type !== 'reference' || (refDef.target && !refDef.target.includes(type))) {
    throw badRequest('INVALID_PARAMETER', `'${name}': ${ref} of ${source} does not point to ${type}`);
  }
  const inner = parseName(source, rest.join(':'));
  return { criterion: { code: name, has: { type: source, reference: ref, inner: { ...inner.criterion, values: [] } } }, target: inner.target };
}

export function parseName(type: string, name: string): ParsedName {
  if (name.startsWith('_has:')) return parseHas(type, name);
  if (name.includes('.')) return parseChain(type, name);
  const [code, modifier, extra] = name.split(':');
  if (!code || extra !== undefined) throw unknownParameter(type, name);
  const def = definition(type, code, name);
  checkModifier(type, def, modifier, name);
  const components = componentTypes(type, code);
  return {
    criterion: { code, ...(modifier ? { modifier } : {}) },
    target: { name, type: def.type, ...(components ? { components } : {}) },
  };
}
