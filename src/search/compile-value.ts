import type { Filter } from '../store/store.js';
import { ROW_FIELDS, presenceKeys } from './definitions.js';
import { canonicalSystem, escapeRegex, foldText, localReference, referenceForms } from './normalise.js';
import { dateRangeCondition, datePointFilter, numberCondition } from './compile-range.js';
import type { ParsedValue } from './parse-value.js';
import type { SearchParamDef } from './types.js';

/**
 * The filter of one criterion on a parameter of the searched type itself, from its parsed values
 * (OR-ed). Exact lookups (tokens, references, uris, composites) become one `$in` over the index key,
 * which both stores answer from their indexes; the rest become `$regex`, `$elemMatch` or `$exists`.
 */

export interface ValueContext {
  /** Our public base: a reference on it is looked up in relative and absolute form. */
  baseUrl?: string;
  /** For `ap`. */
  now: Date;
}

const or = (filters: Filter[]): Filter => (filters.length === 1 ? filters[0]! : { $or: filters });

/** Every stored form of a reference search value. */
function referenceKeys(def: SearchParamDef, reference: string, ctx: ValueContext): string[] {
  if (reference.includes(':')) {
    const local = localReference(reference, ctx.baseUrl);
    return local ? referenceForms(local.type, local.id, ctx.baseUrl) : [reference];
  }
  if (reference.includes('/')) {
    const [type, id] = reference.split('/') as [string, string];
    return referenceForms(type, id, ctx.baseUrl);
  }
  return (def.target ?? []).flatMap((t) => referenceForms(t, reference, ctx.baseUrl));
}

/** The exact index keys one value stands for, or undefined when it is not an exact lookup. */
function exactKeys(def: SearchParamDef, v: ParsedValue, ctx: ValueContext): string[] | undefined {
  switch (v.kind) {
    case 'token':
      if (v.system === undefined) return v.code ? [v.code] : [];
      if (v.system === '') return [`|${v.code}`];
      return [`${canonicalSystem(v.system)}|${v.code ?? ''}`];
    case 'of-type':
      return [`${canonicalSystem(v.system)}|${v.code}|${v.value}`];
    case 'reference':
      return referenceKeys(def, v.reference, ctx);
    case 'uri':
      return [v.uri];
    case 'composite': {
      let combos = [''];
      for (const [i, part] of v.parts.entries()) {
        const keys = exactKeys(def, part, ctx) ?? [];
        combos = combos.flatMap((c) => keys.map((k) => (i === 0 ? k : `${c}$${k}`)));
      }
      return combos;
    }
    default:
      return undefined;
  }
}

/** `http://a/b/c` matches `:above` values `http://a/b/c`, `http://a/b` and `http://a`. */
function uriAncestors(uri: string): string[] {
  const out = [uri];
  for (let i = uri.lastIndexOf('/'); i > uri.indexOf('//') + 1; i = uri.lastIndexOf('/', i - 1)) out.push(uri.slice(0, i));
  return out;
}

function missing(def: SearchParamDef, isMissing: boolean): Filter {
  const keys = presenceKeys(def).map((k) => `idx.${k}`);
  return isMissing ? (keys.length === 1 ? { [keys[0]!]: { $exists: false } } : { $and: keys.map((k) => ({ [k]: { $exists: false } })) })
    : or(keys.map((k) => ({ [k]: { $exists: true } })));
}

function otherFilter(def: SearchParamDef, field: string, modifier: string | undefined, v: ParsedValue, ctx: ValueContext): Filter {
  switch (v.kind) {
    case 'missing':
      return missing(def, v.missing);
    case 'string': {
      if (modifier === 'exact') return { [`${field}:exact`]: { $in: [v.text] } };
      const text = escapeRegex(foldText(v.text));
      return { [field]: { $regex: modifier === 'contains' ? text : `^${text}` } };
    }
    case 'text':
      return { [`${field}:text`]: { $regex: `(^| )${escapeRegex(foldText(v.text))}` } };
    case 'date':
      if (def.code in ROW_FIELDS) return datePointFilter(field, v.prefix, v.range, ctx.now);
      return { [field]: { $elemMatch: dateRangeCondition(v.prefix, v.range, ctx.now) } };
    case 'number':
      return { [field]: { $elemMatch: numberCondition(v.prefix, v.range) } };
    case 'quantity': {
      const unit = v.code ? (v.system ? { code: v.code } : { $or: [{ code: v.code }, { unit: v.code }] }) : {};
      const system = v.system ? { system: canonicalSystem(v.system) } : {};
      return { [field]: { $elemMatch: { $and: [numberCondition(v.prefix, v.range), { ...system, ...unit }] } } };
    }
    case 'uri':
      if (modifier === 'below') return { [field]: { $regex: `^${escapeRegex(v.uri)}` } };
      return { [field]: { $in: uriAncestors(v.uri) } }; // :above
    default:
      throw new Error(`no filter for a ${v.kind} value`);
  }
}

/** The filter of one parameter of the searched type; `field` is `idx.<code>` or a row field. */
export function valueFilter(def: SearchParamDef, field: string, modifier: string | undefined, values: ParsedValue[], ctx: ValueContext): Filter {
  const keys: string[] = [];
  const others: Filter[] = [];
  const exactField = modifier === 'identifier' ? `${field}:identifier` : modifier === 'of-type' ? `${field}:of-type` : field;
  for (const v of values) {
    const exact = modifier === 'below' || modifier === 'above' ? undefined : exactKeys(def, v, ctx);
    if (exact) keys.push(...exact);
    else others.push(otherFilter(def, field, modifier, v, ctx));
  }
  const filters = keys.length ? [{ [exactField]: { $in: [...new Set(keys)] } }, ...others] : others;
  const filter = or(filters);
  return modifier === 'not' ? { $nor: [filter] } : filter;
}
