import type { Resource } from 'fhir/r4';
import { badRequest, invalidResource, methodNotAllowed } from '../fhir/errors.js';
import { parseFhirJson, type ParsedJson } from '../validation/parse-json.js';
import { validateResource } from '../validation/validate.js';

/** Types clients may never write: AuditEvent is written by the server only (D13). */
export function assertClientWritable(type: string): void {
  if (type === 'AuditEvent') throw methodNotAllowed('AuditEvents are written by the server only and cannot be created, changed or deleted.');
}

/** Parses and validates a request body as a resource of the type the URL names. */
export function readResourceBody(type: string, body: Buffer | undefined): Resource {
  if (!body || body.length === 0) throw badRequest('EMPTY_BODY', `a ${type} resource is required in the request body`);
  const parsed: ParsedJson = parseFhirJson(body);
  const value = parsed.value as Partial<Resource> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('INVALID_RESOURCE', 'the body must be a JSON object');
  }
  if (value.resourceType !== type) {
    throw badRequest('TYPE_MISMATCH', `the body is a ${String(value.resourceType)} but the URL names ${type}`, ['resourceType']);
  }
  assertValid(type, parsed);
  return value as Resource;
}

export function assertValid(type: string, input: ParsedJson | Resource): void {
  const failure = validateResource(type, input);
  if (failure) throw invalidResource(failure.status, failure.issues);
}
