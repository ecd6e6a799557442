import { badRequest } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import { searchParameter } from './definitions.js';
import type { IncludeSpec, SearchRequest } from './types.js';

/**
 * The result-shaping parameters (`_sort`, `_count`, `_total`, `_summary`, `_elements`, `_include`,
 * `_revinclude`): checked here, applied by the search interaction.
 */

const invalid = (name: string, why: string) => badRequest('INVALID_PARAMETER', `Search parameter '${name}': ${why}`);

export function parseSort(type: string, value: string): SearchRequest['sort'] {
  return value.split(',').map((key) => {
    const descending = key.startsWith('-');
    const code = descending ? key.slice(1) : key;
    const def = searchParameter(type, code);
    if (!def) throw invalid('_sort', `'${code}' is not a search parameter of ${type}`);
    if (def.type === 'composite' || def.type === 'special') throw invalid('_sort', `${def.type} parameter '${code}' cannot sort`);
    return { code, direction: descending ? -1 : 1 };
  });
}

export function parseCount(value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw invalid('_count', `'${value}' is not a whole number (0 or more)`);
  return Number(value);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, `'${value}' is not one of ${allowed.join(', ')}`);
  return value as T;
}

export const parseTotal = (v: string) => oneOf('_total', v, ['none', 'estimate', 'accurate'] as const);
export const parseSummary = (v: string) => oneOf('_summary', v, ['true', 'false', 'count', 'data', 'text'] as const);

export function parseElements(value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  for (const n of names) if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(n)) throw invalid('_elements', `'${n}' is not an element name`);
  return names;
}

/**
 * `Type:param[:targetType]`, `Type:*` or `*`; `param` must be a reference parameter of `Type` able to
 * point to `targetType`.
 */
export function parseInclude(name: string, value: string): IncludeSpec {
  const iterate = name.endsWith(':iterate') || name.endsWith(':recurse');
  if (value === '*') return { sourceType: '*', param: '*', iterate };
  const [sourceType, param, targetType, extra] = value.split(':');
  if (!sourceType || !param || extra !== undefined) throw invalid(name, `'${value}' must read Type:parameter[:targetType]`);
  if (!isSupportedType(sourceType)) throw invalid(name, `${sourceType} is not a type this server holds`);
  if (param !== '*') {
    const def = searchParameter(sourceType, param);
    if (!def || def.type !== 'reference') throw invalid(name, `'${param}' is not a reference parameter of ${sourceType}`);
    if (targetType && (!isSupportedType(targetType) || (def.target && !def.target.includes(targetType)))) {
      throw invalid(name, `${param} of ${sourceType} cannot point to ${targetType}`);
    }
  }
  return { sourceType, param, ...(targetType ? { targetType } : {}), iterate };
}
