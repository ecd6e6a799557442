import type { OperationOutcomeIssue } from 'fhir/r4';
import { validationIssue } from './issue.js';
import { expressionOf, type PathSegment } from './location.js';

/**
 * Deeper than any real resource (a Questionnaire item tree 40 levels deep stays under it), shallow
 * enough that the recursive steps after this one (ajv, FHIRPath) can never exhaust the stack.
 */
export const MAX_NESTING = 100;

/** Enough to show a client what is wrong without building a megabyte OperationOutcome. */
export const MAX_ISSUES = 100;

interface Pending {
  node: unknown;
  path: PathSegment[];
  depth: number;
}

/** Whether the walk stopped at MAX_NESTING, after which no recursive step may run. */
export function nestsTooDeep(issues: readonly OperationOutcomeIssue[]): boolean {
  return issues.some((i) => i.code === 'too-costly');
}

const EMPTY_ARRAY = 'empty arrays are not allowed in FHIR JSON: leave the element out instead';

/**
 * The FHIR JSON rules that hold for any value, parsed or patched
 * (https://hl7.org/fhir/R4/json.html): no empty strings, arrays or objects, nor elements with only an
 * id (ele-1); `null` only inside an array and only where the matching `_name`/`name` array carries
 * the value at that index; paired primitive arrays of the same length; and nesting kept shallow.
 * Iterative, so hostile nesting cannot overflow the stack here; issues come in document order.
 */
export function jsonValueIssues(value: unknown, root: string): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const report = (code: 'EMPTY_VALUE' | 'MISPLACED_NULL', path: PathSegment[], text: string) =>
    issues.push(validationIssue(code === 'EMPTY_VALUE' ? 'value' : 'structure', code, text, { expression: expressionOf(root, path) }));
  const stack: Pending[] = [{ node: value, path: [], depth: 0 }];
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const { node, path, depth } = stack.pop()!;
    // Nulls inside arrays never get here: checkPrimitivePair judged them with their partner array.
    if (node === null) {
      report('MISPLACED_NULL', path, 'null is not a FHIR value: leave the element out instead');
      continue;
    }
    if (typeof node === 'string') {
      if (node.length === 0) report('EMPTY_VALUE', path, 'empty strings are not allowed in FHIR JSON: leave the element out instead');
      continue;
    }
    if (typeof node !== 'object') continue;
    if (depth >= MAX_NESTING) {
      issues.push(validationIssue('too-costly', 'INVALID_JSON', `the JSON nests deeper than ${MAX_NESTING} levels`, { expression: expressionOf(root, path) }));
      return issues;
    }
    if (Array.isArray(node)) {
      if (node.length === 0) report('EMPTY_VALUE', path, EMPTY_ARRAY);
      else if (node.every((item) => item === null)) report('EMPTY_VALUE', path, 'an array of nulls is empty: leave the element out instead');
      for (let i = node.length - 1; i >= 0; i--) {
        if (node[i] !== null) stack.push({ node: node[i], path: [...path, i], depth: depth + 1 });
      }
      continue;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 0) report('EMPTY_VALUE', path, 'empty objects are not allowed in FHIR JSON: leave the element out instead');
    // ele-1: an element needs a value or children besides its id (a resource is not an element).
    else if (depth > 0 && keys.length === 1 && keys[0] === 'id') report('EMPTY_VALUE', path, 'ele-1: an element with only an id is empty: it needs a value or children');
    for (const key of keys) checkPrimitivePair(record, key, path, root, issues);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ node: record[keys[i]!], path: [...path, keys[i]!], depth: depth + 1 });
  }
  return issues.slice(0, MAX_ISSUES);
}

/**
 * `"given": ["a", null], "_given": [null, {…}]`: a repeating primitive and its extensions travel as
 * two arrays of the same length, and a null may only stand where the other array has the item.
 */
function checkPrimitivePair(
  record: Record<string, unknown>,
  key: string,
  path: PathSegment[],
  root: string,
  issues: OperationOutcomeIssue[],
): void {
  const items = record[key];
  if (!Array.isArray(items)) return;
  const partnerKey = key.startsWith('_') ? key.slice(1) : `_${key}`;
  const partner = Object.hasOwn(record, partnerKey) ? record[partnerKey] : undefined;
  if (!key.startsWith('_') && Array.isArray(partner) && partner.length !== items.length) {
    issues.push(validationIssue('structure', 'MISPLACED_NULL',
      `'${key}' and '${partnerKey}' must have the same number of items (${items.length} and ${partner.length})`,
      { expression: expressionOf(root, [...path, partnerKey]) }));
  }
  items.forEach((item, i) => {
    if (item !== null) return;
    if (Array.isArray(partner) && partner[i] !== null && partner[i] !== undefined) return;
    issues.push(validationIssue('structure', 'MISPLACED_NULL',
      `null in '${key}' is only allowed where '${partnerKey}' has an item at the same index`,
      { expression: expressionOf(root, [...path, key, i]) }));
  });
}
