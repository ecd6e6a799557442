import type { DateRange } from '../store/store.js';
import { badRequest } from '../fhir/errors.js';
import { parseDateRange } from './date-range.js';
import { parseNumberRange, type NumberRange } from './number-range.js';
import { splitParts, splitUnescaped, unescape } from './split-values.js';
import type { SearchParamType } from './types.js';

/**
 * One OR-ed search value, read according to its parameter's type and modifier. The parser calls this
 * to reject malformed values (400) before anything runs; the compiler calls it again to build filters.
 */

export const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'] as const;
export type Prefix = (typeof PREFIXES)[number];

export type ParsedValue =
  | { kind: 'missing'; missing: boolean }
  | { kind: 'string'; text: string }
  | { kind: 'token'; system?: string; code?: string }
  | { kind: 'of-type'; system: string; code: string; value: string }
  | { kind: 'text'; text: string }
  | { kind: 'reference'; reference: string }
  | { kind: 'date'; prefix: Prefix; range: DateRange }
  | { kind: 'number'; prefix: Prefix; range: NumberRange }
  | { kind: 'quantity'; prefix: Prefix; range: NumberRange; system?: string; code?: string }
  | { kind: 'uri'; uri: string }
  | { kind: 'composite'; parts: ParsedValue[] };

/** What a value is checked against: the parameter's type, and for composites its components' types. */
export interface ValueTarget {
  name: string;
  type: SearchParamType;
  components?: SearchParamType[];
}

const invalid = (name: string, why: string) => badRequest('INVALID_PARAMETER', `Search parameter '${name}': ${why}`);

function prefixed(raw: string): [Prefix, string] {
  const p = raw.slice(0, 2) as Prefix;
  return PREFIXES.includes(p) && /^[0-9+-]/.test(raw.slice(2)) ? [p, raw.slice(2)] : ['eq', raw];
}

function token(name: string, raw: string): ParsedValue {
  const parts = splitParts(raw, '|', 2);
  if (!parts) throw invalid(name, `'${unescape(raw)}' has more than one unescaped '|' (write \\| for a literal one)`);
  if (parts.length === 1) return { kind: 'token', code: parts[0] };
  const [system, code] = parts as [string, string];
  if (!system && !code) throw invalid(name, `'|' alone names no system and no code`);
  return { kind: 'token', system, ...(code ? { code } : {}) };
}

function reference(name: string, raw: string, type?: string): ParsedValue {
  const text = unescape(raw);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return { kind: 'reference', reference: text }; // absolute URL or urn
  const m = /^(?:([A-Z][A-Za-z]+)\/)?([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(text);
  if (!m) throw invalid(name, `'${text}' is not a reference (Type/id, id or an absolute URL)`);
  if (type && m[1] && m[1] !== type) throw invalid(name, `'${text}' is not a ${type}`);
  const t = m[1] ?? type;
  return { kind: 'reference', reference: t ? `${t}/${m[2]}` : m[2]! };
}

function date(name: string, raw: string): ParsedValue {
  // A `+` of a time zone arrives as a space when the client did not percent-encode it.
  const [prefix, text] = prefixed(unescape(raw).replace(/ (\d{2}:\d{2})$/, '+$1'));
  const range = parseDateRange(text);
  if (!range) throw invalid(name, `'${text}' is not a valid date, dateTime or instant`);
  return { kind: 'date', prefix, range };
}

function number(name: string, raw: string): ParsedValue {
  const [prefix, text] = prefixed(unescape(raw));
  const range = parseNumberRange(text);
  if (!range) throw invalid(name, `'${text}' is not a number`);
  return { kind: 'number', prefix, range };
}

function quantity(name: string, raw: string): ParsedValue {
  const parts = splitParts(raw, '|', 3);
  if (!parts) throw invalid(name, `a quantity is number|system|code`);
  const n = number(name, parts[0]!) as Extract<ParsedValue, { kind: 'number' }>;
  return { kind: 'quantity', prefix: n.prefix, range: n.range, ...(parts[1] ? { system: parts[1] } : {}), ...(parts[2] ? { code: parts[2] } : {}) };
}

function byType(target: ValueTarget, type: SearchParamType, modifier: string | undefined, raw: string): ParsedValue {
  const { name } = target;
  switch (type) {
    case 'string':
      return { kind: 'string', text: unescape(raw) };
    case 'token':
      if (modifier === 'text') return { kind: 'text', text: unescape(raw) };
      if (modifier === 'of-type') {
        const parts = splitParts(raw, '|', 3);
        if (parts?.length !== 3 || !parts[1] || !parts[2]) throw invalid(name, ':of-type takes type-system|type-code|value');
        return { kind: 'of-type', system: parts[0]!, code: parts[1], value: parts[2] };
      }
      return token(name, raw);
    case 'reference':
      if (modifier === 'identifier') return token(name, raw);
      return reference(name, raw, modifier);
    case 'date':
      return date(name, raw);
    case 'number':
      return number(name, raw);
    case 'quantity':
      return quantity(name, raw);
    case 'uri':
      return { kind: 'uri', uri: unescape(raw) };
    case 'composite': {
      const kinds = target.components ?? [];
      const parts = splitUnescaped(raw, '$');
      if (parts.length !== kinds.length) throw invalid(name, `a value has ${kinds.length} parts separated by '$'`);
      return { kind: 'composite', parts: parts.map((p, i) => byType(target, kinds[i]!, undefined, p)) };
    }
    default:
      throw invalid(name, `parameters of type ${type} cannot be searched`);
  }
}

/** One raw OR-ed value (escapes still in place) of a parameter with this type and modifier. */
export function parseValue(target: ValueTarget, modifier: string | undefined, raw: string): ParsedValue {
  if (modifier === 'missing') {
    if (raw !== 'true' && raw !== 'false') throw invalid(target.name, ':missing takes true or false');
    return { kind: 'missing', missing: raw === 'true' };
  }
  if (raw === '') throw invalid(target.name, 'an empty value between commas');
  return byType(target, target.type, modifier, raw);
}
