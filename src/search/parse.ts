import { badRequest, FhirError } from '../fhir/errors.js';
import type { QueryPairs } from '../interactions/context.js';
import { parseCount, parseElements, parseInclude, parseSort, parseSummary, parseTotal } from './parse-control.js';
import { parseName } from './parse-name.js';
import { parseValue } from './parse-value.js';
import { splitUnescaped, unescape } from './split-values.js';
import type { Criterion, SearchRequest } from './types.js';

/**
 * Query string → SearchRequest. Every criterion is checked here, values included, so a malformed
 * query fails with a 400 naming the parameter before anything is read. With lenient handling
 * (`Prefer: handling=lenient`) unknown parameters and unsupported modifiers are dropped, and left out
 * of `selfPairs`; malformed values of known parameters are still refused.
 */

export interface ParseOptions {
  lenient: boolean;
}

/** Read by the HTTP layer; kept in the self link, ignored here. */
const PASSED_THROUGH = new Set(['_format', '_pretty']);
/** The paging token of next/previous links; the interaction adds it to each link itself. */
const CURSOR = new Set(['_cursor', '_page']);
/** Known FHIR parameters this server does not offer. */
const NOT_SUPPORTED = new Set(['_contained', '_containedType', '_query', '_text', '_content', '_filter', '_score', '_type']);
const SINGLE = new Set(['_sort', '_count', '_total', '_summary', '_elements', '_cursor', '_page']);
const IGNORABLE = new Set(['UNKNOWN_PARAMETER', 'UNSUPPORTED_MODIFIER', 'UNSUPPORTED_PARAMETER']);

/** Puts the values on the innermost criterion of a `_has` too, where the compiler reads them. */
function withValues(criterion: Omit<Criterion, 'values'>, values: string[], raw: string[]): Criterion {
  const has = criterion.has ? { ...criterion.has, inner: withValues(criterion.has.inner, values, raw) } : undefined;
  return { ...criterion, ...(has ? { has } : {}), values, raw };
}

function parseCriterion(type: string, name: string, value: string): Criterion {
  if (name === '_list') {
    const ids = value.split(',');
    for (const id of ids) {
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw badRequest('INVALID_PARAMETER', `Search parameter '_list': '${id}' is not a List id (functional lists such as $current-allergies are not supported)`);
    }
    return { code: '_list', values: ids, raw: ids };
  }
  const { criterion, target } = parseName(type, name);
  const raw = criterion.modifier === 'missing' ? [value] : splitUnescaped(value, ',');
  for (const r of raw) parseValue(target, criterion.modifier, r);
  return withValues(criterion, raw.map(unescape), raw);
}

function control(req: SearchRequest, type: string, name: string, value: string): boolean {
  switch (name) {
    case '_sort':
      req.sort = parseSort(type, value);
      return true;
    case '_count':
      req.count = parseCount(value);
      return true;
    case '_total':
      req.total = parseTotal(value);
      return true;
    case '_summary':
      req.summary = parseSummary(value);
      return true;
    case '_elements':
      req.elements = parseElements(value);
      return true;
  }
  const base = name.split(':')[0];
  if (base !== '_include' && base !== '_revinclude') return false;
  if (!/^_(rev)?include(:(iterate|recurse))?$/.test(name)) throw badRequest('INVALID_PARAMETER', `'${name}': the only modifier of ${base} is :iterate`);
  (base === '_include' ? req.include : req.revinclude).push(parseInclude(name, value));
  return true;
}

export function parseSearch(type: string, pairs: QueryPairs, options: ParseOptions): SearchRequest {
  const req: SearchRequest = { type, criteria: [], sort: [], include: [], revinclude: [], selfPairs: [] };
  const seen = new Set<string>();
  for (const [name, value] of pairs) {
    if (SINGLE.has(name)) {
      if (seen.has(name)) throw badRequest('INVALID_PARAMETER', `Search parameter '${name}' may appear only once`);
      seen.add(name);
    }
    if (CURSOR.has(name)) {
      req.cursor = value;
      continue;
    }
    if (value === '') continue; // FHIR: a parameter without a value is ignored
    try {
      if (PASSED_THROUGH.has(name)) {
        // the HTTP layer's business
      } else if (NOT_SUPPORTED.has(name.split(':')[0]!)) {
        throw badRequest('UNSUPPORTED_PARAMETER', `Search parameter '${name}' is not supported by this server`);
      } else if (!control(req, type, name, value)) {
        req.criteria.push(parseCriterion(type, name, value));
      }
    } catch (error) {
      if (options.lenient && error instanceof FhirError && IGNORABLE.has(error.code)) continue;
      throw error;
    }
    req.selfPairs.push([name, value]);
  }
  return req;
}
