import type { Resource } from 'fhir/r4';
import type { WriteRequest } from '../access/write-access.js';
import { badRequest, FhirError, invalidResource, methodNotAllowed } from '../fhir/errors.js';
import { parseFhirJson, type ParsedJson } from '../validation/parse-json.js';
import { validateResource } from '../validation/validate.js';
import type { RequestContext } from './context.js';

/** Types clients may never write: AuditEvent is written by the server only (D13). */
export function assertClientWritable(type: string): void {
  if (type === 'AuditEvent') throw methodNotAllowed('AuditEvents are written by the server only and cannot be created, changed or deleted.');
  if (type === 'Communication') throw methodNotAllowed('Notifications (Communication) are written by the server only.');
}

/** A request body parsed as JSON (FHIR's raw-text rules applied) and known to be of the URL's type. */
export interface ResourceBody {
  resource: Resource;
  parsed: ParsedJson;
}

export function readResourceBody(type: string, body: Buffer | undefined): ResourceBody {
  if (!body || body.length === 0) throw badRequest('EMPTY_BODY', `a ${type} resource is required in the request body`);
  const parsed = parseFhirJson(body);
  const value = parsed.value as Partial<Resource> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('INVALID_RESOURCE', 'the body must be a JSON object');
  }
  if (value.resourceType !== type) {
    throw badRequest('TYPE_MISMATCH', `the body is a ${String(value.resourceType)} but the URL names ${type}`, ['resourceType']);
  }
  return { resource: value as Resource, parsed };
}

/**
 * Authorises a write and validates what it stores; returns the resource to store (the access rules
 * may add the author, R8.1). Refusals of the access rules come before validation errors (D10); a
 * rule that cannot judge an invalid resource leaves the validation error to answer.
 */
export async function authorizeAndValidate(ctx: RequestContext, request: WriteRequest, input: ParsedJson | Resource): Promise<Resource | undefined> {
  const failure = request.resource ? validateResource(request.type, input) : undefined;
  if (!failure) return (await ctx.guard?.write(request)) ?? request.resource;
  try {
    await ctx.guard?.write(request);
  } catch (err) {
    if (err instanceof FhirError) throw err;
  }
  throw invalidResource(failure.status, failure.issues);
}
