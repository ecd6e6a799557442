import type { OperationOutcomeIssue } from 'fhir/r4';
import { ERROR_CODE_SYSTEM, type IssueType } from '../fhir/errors.js';

/** Stable codes of validation problems, carried in `issue.details.coding` like the error catalogue's. */
export type ValidationCode =
  | 'INVALID_JSON'
  | 'INVALID_UTF8'
  | 'DUPLICATE_KEY'
  | 'EMPTY_VALUE'
  | 'MISPLACED_NULL'
  | 'NOT_AN_INTEGER'
  | 'TYPE_MISMATCH'
  | 'SCHEMA'
  | 'NARRATIVE'
  | 'INVARIANT';

export interface IssueOptions {
  expression?: string;
  /** `Line[l] Col[c]` of a raw-text problem, as HAPI and the FHIR validator write it. */
  location?: string;
  severity?: OperationOutcomeIssue['severity'];
}

/** One validation problem, shaped like the catalogue's issues so clients parse them the same way. */
export function validationIssue(
  type: IssueType,
  code: ValidationCode,
  diagnostics: string,
  options: IssueOptions = {},
): OperationOutcomeIssue {
  return {
    severity: options.severity ?? 'error',
    code: type,
    details: { coding: [{ system: ERROR_CODE_SYSTEM, code }] },
    diagnostics,
    ...(options.location ? { location: [options.location] } : {}),
    ...(options.expression ? { expression: [options.expression] } : {}),
  };
}

export function hasErrors(issues: readonly OperationOutcomeIssue[]): boolean {
  return issues.some((i) => i.severity === 'error' || i.severity === 'fatal');
}
