import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { FhirError } from './errors.js';

export function operationOutcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues };
}

export function informational(diagnostics: string): OperationOutcome {
  return operationOutcome([{ severity: 'information', code: 'informational', diagnostics }]);
}

/** Any thrown value as status + OperationOutcome; a 500 never carries the stack or the message. */
export function toOutcome(err: unknown): { status: number; outcome: OperationOutcome; headers: Record<string, string> } {
  if (err instanceof FhirError) {
    return { status: err.status, outcome: operationOutcome(err.issues), headers: err.headers };
  }
  return {
    status: 500,
    headers: {},
    outcome: operationOutcome([
      { severity: 'fatal', code: 'exception', diagnostics: 'The server failed to process the request.' },
    ]),
  };
}
