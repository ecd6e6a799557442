import type { OperationOutcomeIssue } from 'fhir/r4';

/** The system of our stable error codes, carried in `issue.details.coding`. */
export const ERROR_CODE_SYSTEM = 'https://dmp-fhir-server.example/CodeSystem/error';

export type IssueType = OperationOutcomeIssue['code'];

/**
 * Every refusal leaves the server as one of these: an HTTP status, a stable code (`NOT_FOUND`,
 * `HABILITATION_DENIED`, …) and FHIR issues. `fhir/outcome.ts` turns it into an OperationOutcome.
 */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly issues: OperationOutcomeIssue[],
    readonly headers: Record<string, string> = {},
    /** The DMP rule that decided a refusal (`R3.4`), recorded in the AuditEvent. */
    readonly rule?: string,
  ) {
    super(issues[0]?.diagnostics ?? code);
    this.name = 'FhirError';
  }
}

function issue(type: IssueType, code: string, diagnostics: string, expression?: string[]): OperationOutcomeIssue {
  return {
    severity: 'error',
    code: type,
    details: { coding: [{ system: ERROR_CODE_SYSTEM, code }] },
    diagnostics,
    ...(expression?.length ? { expression } : {}),
  };
}

function make(status: number, type: IssueType, code: string, message: string, expression?: string[]) {
  return new FhirError(status, code, [issue(type, code, message, expression)]);
}

export const badRequest = (code: string, message: string, expression?: string[]) =>
  make(400, 'invalid', code, message, expression);
export const unauthorized = (code: string, message: string) =>
  new FhirError(401, code, [issue('login', code, message)], { 'www-authenticate': 'Bearer' });
/** A refusal names its rule (403, 409, 422); a 404 never does, so hiding says nothing (R5.5). */
const naming = (message: string, rule?: string) => (rule && !message.includes(rule) ? `${message} (${rule})` : message);

export const forbidden = (code: string, message: string, rule?: string) =>
  new FhirError(403, code, [issue('forbidden', code, naming(message, rule))], {}, rule);
export const notFound = (code: string, message: string, rule?: string) =>
  new FhirError(404, code, [issue('not-found', code, message)], {}, rule);
export const methodNotAllowed = (message: string) => make(405, 'not-supported', 'METHOD_NOT_ALLOWED', message);
export const notAcceptable = (message: string) => make(406, 'not-supported', 'NOT_ACCEPTABLE', message);
export const conflict = (code: string, message: string, rule?: string) =>
  new FhirError(409, code, [issue('conflict', code, naming(message, rule))], {}, rule);
export const gone = (message: string) => make(410, 'deleted', 'GONE', message);
export const preconditionFailed = (code: string, message: string) => make(412, 'conflict', code, message);
export const payloadTooLarge = (message: string) => make(413, 'too-costly', 'PAYLOAD_TOO_LARGE', message);
export const unsupportedMediaType = (message: string) => make(415, 'not-supported', 'UNSUPPORTED_MEDIA_TYPE', message);
export const unprocessable = (code: string, message: string, expression?: string[], rule?: string) =>
  new FhirError(422, code, [issue('processing', code, naming(message, rule), expression)], {}, rule);
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) =>
  new FhirError(429, code, [issue('throttled', code, message)], { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
export const serviceUnavailable = (message: string) => make(503, 'transient', 'STORE_UNAVAILABLE', message);

/** A 400/422 carrying several issues, one per validation problem. */
export function invalidResource(status: 400 | 422, issues: OperationOutcomeIssue[]): FhirError {
  return new FhirError(status, 'INVALID_RESOURCE', issues);
}
