import type { OperationOutcomeIssue, Resource } from 'fhir/r4';
import { invalidResource } from '../fhir/errors.js';
import { constraintTable } from './constraint-table.js';
import { invariantIssues } from './invariants.js';
import { hasErrors, validationIssue } from './issue.js';
import { jsonValueIssues, nestsTooDeep } from './json-rules.js';
import { isJsonObject } from './location.js';
import { narrativeIssues } from './narrative.js';
import { isParsedJson, type ParsedJson } from './parse-json.js';
import { isR4ResourceType } from './r4-model.js';
import { schemaIssues, warmUpSchema } from './schema.js';

export { checkId, isValidId } from './check-id.js';
export type { ParsedJson } from './parse-json.js';

export interface ValidationFailure {
  status: 400 | 422;
  /** Errors first, then any warnings found on the way. */
  issues: OperationOutcomeIssue[];
}

export interface ValidationReport {
  /** 200 when nothing is an error; what `$validate` (D12) reports beside its OperationOutcome. */
  status: 200 | 400 | 422;
  issues: OperationOutcomeIssue[];
}

/**
 * Validates a resource about to be written: the FHIR JSON rules and the schema and the narrative
 * (400, D9), then, only when all of those pass, the FHIRPath invariants (422). A body comes as the
 * `ParsedJson` of `parseFhirJson`, which has checked the raw text already; a PATCH result comes as
 * a plain resource and gets the same rules on its value. Synchronous; returns undefined when valid.
 */
export function validateResource(type: string, input: ParsedJson | Resource): ValidationFailure | undefined {
  const report = validationReport(type, input);
  return report.status === 200 ? undefined : { status: report.status, issues: report.issues };
}

/** Throws the 400/422 `FhirError` of `validateResource`. */
export function assertValid(type: string, input: ParsedJson | Resource): void {
  const failure = validateResource(type, input);
  if (failure) throw invalidResource(failure.status, failure.issues);
}

/** Every issue, warnings included (dom-6, invariants that could not be evaluated), with a status. */
export function validationReport(type: string, input: ParsedJson | Resource): ValidationReport {
  const parsed = isParsedJson(input);
  const value: unknown = parsed ? input.value : input;
  const shapeIssue = resourceShapeIssue(type, value);
  if (shapeIssue) return { status: 400, issues: [shapeIssue] };

  // A parsed body met these rules in parseFhirJson; a patched resource has not been checked yet.
  const jsonIssues = parsed ? [] : jsonValueIssues(value, type);
  if (nestsTooDeep(jsonIssues)) return { status: 400, issues: jsonIssues };
  const judged = new Set(jsonIssues.map((i) => i.expression?.[0]));
  const structural = [
    ...jsonIssues,
    ...schemaIssues(type, value, type, parsed ? input.decimalLiterals : undefined).filter((i) => !judged.has(i.expression?.[0])),
    ...narrativeIssues(value, type),
  ];
  if (hasErrors(structural)) return { status: 400, issues: ordered(structural) };

  const issues = [...structural, ...invariantIssues(value, type)];
  return { status: hasErrors(issues) ? 422 : 200, issues: ordered(issues) };
}

/** Compiles the schema validators of these types and reads the invariants now rather than at the first write. */
export function warmUpValidation(types: readonly string[]): void {
  warmUpSchema(types.filter(isR4ResourceType));
  constraintTable();
}

function resourceShapeIssue(type: string, value: unknown): OperationOutcomeIssue | undefined {
  if (!isR4ResourceType(type)) {
    return validationIssue('not-supported', 'TYPE_MISMATCH', `'${type}' is not an R4 resource type`);
  }
  if (!isJsonObject(value)) {
    return validationIssue('structure', 'INVALID_JSON', 'a FHIR resource must be a JSON object', { expression: type });
  }
  if (value.resourceType !== type) {
    const found = typeof value.resourceType === 'string' ? `'${value.resourceType.slice(0, 64)}'` : 'missing';
    return validationIssue('value', 'TYPE_MISMATCH', `resourceType must be '${type}' here; it is ${found}`, { expression: `${type}.resourceType` });
  }
  return undefined;
}

function ordered(issues: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  const isError = (i: OperationOutcomeIssue) => i.severity === 'error' || i.severity === 'fatal';
  return [...issues.filter(isError), ...issues.filter((i) => !isError(i))];
}
