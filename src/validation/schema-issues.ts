import type { OperationOutcomeIssue } from 'fhir/r4';
import type { ErrorObject } from 'ajv';
import { validationIssue } from './issue.js';
import { MAX_ISSUES } from './json-rules.js';
import { expressionOf, isJsonObject, segmentsOfPointer, type PathSegment } from './location.js';

/** `^[0-9]{4}…$` → `date`: ajv names the pattern that failed, people want the FHIR type. */
export type PatternNames = ReadonlyMap<string, string>;

/**
 * ajv's errors as OperationOutcome issues: `required` for a missing element, `structure` for an
 * unknown element or a wrong JSON shape, `value` for a wrong primitive value; the location as a
 * FHIRPath-like expression and the message in words a client developer can act on.
 */
export function issuesFromAjv(errors: readonly ErrorObject[], value: unknown, root: string, patterns: PatternNames): OperationOutcomeIssue[] {
  const issues: OperationOutcomeIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // `if`/`else` only wraps nullable array items (fhir-schema.ts); the inner error says it all.
    if (error.keyword === 'if') continue;
    const segments = segmentsOfPointer(value, error.instancePath);
    const issue = toIssue(error, segments, valueAt(value, segments), root, patterns);
    const key = `${issue.expression?.[0]}|${issue.diagnostics}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
    if (issues.length >= MAX_ISSUES) break;
  }
  return issues;
}

function toIssue(error: ErrorObject, at: PathSegment[], data: unknown, root: string, patterns: PatternNames): OperationOutcomeIssue {
  const params = error.params as Record<string, unknown>;
  const where = expressionOf(root, at);
  const last = at[at.length - 1];
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      return validationIssue('structure', 'SCHEMA', `unknown element '${name}'`, { expression: expressionOf(root, [...at, name]) });
    }
    case 'required': {
      const name = String(params.missingProperty);
      return validationIssue('required', 'SCHEMA', `missing required element '${name}'`, { expression: expressionOf(root, [...at, name]) });
    }
    case 'type': {
      const expected = String(params.type);
      const shape = expected === 'array' || expected === 'object' || isJsonObject(data) || Array.isArray(data);
      const text = expected === 'array'
        ? `'${String(last)}' repeats, so it must be a JSON array`
        : `must be a JSON ${expected}, not ${describe(data)}`;
      return validationIssue(shape ? 'structure' : 'value', 'SCHEMA', text, { expression: where });
    }
    case 'const':
      return last === 'resourceType'
        ? validationIssue('value', 'SCHEMA', `resourceType must be '${String(params.allowedValue)}', not ${describe(data)}`, { expression: where })
        : validationIssue('value', 'SCHEMA', `must be ${JSON.stringify(params.allowedValue)}`, { expression: where });
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(' | ')} | …` : allowed.join(' | ');
      return validationIssue('value', 'SCHEMA', `${describe(data)} is not an allowed code here (${list})`, { expression: where });
    }
    case 'pattern': {
      const type = patterns.get(String(params.pattern));
      const text = type ? `${describe(data)} is not a valid FHIR ${type}` : `${describe(data)} does not match ${String(params.pattern)}`;
      return validationIssue('value', 'SCHEMA', text, { expression: where });
    }
    case 'fhirInteger':
      return validationIssue('value', 'NOT_AN_INTEGER', error.message ?? 'not an integer', { expression: where });
    case 'fhirResource':
      return validationIssue('value', 'SCHEMA', error.message ?? 'not a resource', { expression: where });
    default:
      return validationIssue('structure', 'SCHEMA', error.message ?? error.keyword, { expression: where });
  }
}

function valueAt(value: unknown, segments: readonly PathSegment[]): unknown {
  let node = value;
  for (const s of segments) {
    if (typeof s === 'number') node = Array.isArray(node) ? node[s] : undefined;
    else node = isJsonObject(node) && Object.hasOwn(node, s) ? node[s] : undefined;
  }
  return node;
}

/** A value quoted for a message, cut short: it may be a megabyte of base64. */
function describe(data: unknown): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'an array';
  if (typeof data === 'object') return 'an object';
  const text = JSON.stringify(data) ?? String(data);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
