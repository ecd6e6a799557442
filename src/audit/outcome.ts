import { ERROR_CODE_SYSTEM, FhirError, serviceUnavailable } from '../fhir/errors.js';
import { StoreUnavailableError } from '../store/store.js';
import type { AuditOutcome } from './codes.js';

/**
 * How a request's end becomes an AuditEvent outcome: a refusal or a bad request (any 4xx
 * FhirError) is `4` with its rule and code, anything else (5xx, store outage, a bug) is `8`.
 * A 401 names R1.1 when the error carries no rule of its own.
 */

export interface RecordedOutcome {
  outcome: AuditOutcome;
  rule?: string;
  errorCode?: string;
}

export function outcomeOf(error: unknown): RecordedOutcome {
  if (error instanceof FhirError) {
    const outcome: AuditOutcome = error.status >= 400 && error.status < 500 ? '4' : '8';
    const rule = error.rule ?? (error.status === 401 ? 'R1.1' : undefined);
    return { outcome, errorCode: error.code, ...(rule ? { rule } : {}) };
  }
  return { outcome: '8', errorCode: 'SERVER_ERROR' };
}

/**
 * No audit, no data: the request fails and nothing is returned. A store outage is a 503 the client
 * may retry (issue 9), any other failure a 500.
 */
export function auditWriteFailed(cause: unknown): FhirError {
  if (cause instanceof StoreUnavailableError) {
    const unavailable = serviceUnavailable('the store is unavailable, so the trace of this request could not be recorded; try again shortly');
    unavailable.cause = cause;
    return unavailable;
  }
  const error = new FhirError(500, 'AUDIT_WRITE_FAILED', [
    {
      severity: 'fatal',
      code: 'exception',
      details: { coding: [{ system: ERROR_CODE_SYSTEM, code: 'AUDIT_WRITE_FAILED' }] },
      diagnostics: 'The trace of this request could not be recorded, so the request was not carried out.',
    },
  ]);
  error.cause = cause;
  return error;
}
