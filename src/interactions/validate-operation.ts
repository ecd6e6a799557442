import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import { badRequest, invalidResource } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import { hasErrors, validationIssue } from '../validation/issue.js';
import { isJsonObject } from '../validation/location.js';
import { PARSED_JSON, readFhirJson, type ParsedJson } from '../validation/parse-json.js';
import { profileIssues } from '../validation/profiles.js';
import { validationReport } from '../validation/validate.js';

/**
 * `POST [type]/$validate` and `POST [type]/[id]/$validate` (D12): the resource itself, or a
 * Parameters carrying it as `resource` (with optional `mode` and `profile`). Base R4 (the same
 * checks as a write: JSON rules, schema, narrative, invariants) plus the profiles named in
 * `meta.profile` or `profile`. No DMP rule, no read, no write. Always an OperationOutcome for a 200;
 * only a body that is not JSON at all is a 400.
 */

const MODES = ['create', 'update', 'delete', 'profile'];

interface Request {
  /** The resource to validate, with the raw-text facts of its part of the body. */
  resource?: ParsedJson;
  mode?: string;
  profiles: string[];
  issues: OperationOutcomeIssue[];
}

const error = (code: OperationOutcomeIssue['code'], diagnostics: string, expression?: string) =>
  validationIssue(code, 'INVALID_JSON', diagnostics, expression ? { expression } : {});

/** The part of a parsed body under `pointer`, with its decimal literals re-rooted. */
function part(parsed: ParsedJson, value: unknown, pointer: string): ParsedJson {
  const literals = new Map<string, string>();
  for (const [at, raw] of parsed.decimalLiterals) if (at.startsWith(`${pointer}/`)) literals.set(at.slice(pointer.length), raw);
  return { value, decimalLiterals: literals, [PARSED_JSON]: true };
}

function fromParameters(parsed: ParsedJson, issues: OperationOutcomeIssue[]): Request {
  const body = parsed.value as Record<string, unknown>;
  const params = Array.isArray(body.parameter) ? body.parameter : [];
  const request: Request = { profiles: [], issues };
  params.forEach((p: unknown, i: number) => {
    if (!isJsonObject(p)) return;
    if (p.name === 'resource' && isJsonObject(p.resource)) request.resource = part(parsed, p.resource, `/parameter/${i}/resource`);
    if (p.name === 'mode' && typeof p.valueCode === 'string') request.mode = p.valueCode;
    if (p.name === 'profile') {
      const url = p.valueUri ?? p.valueCanonical;
      if (typeof url === 'string') request.profiles.push(url);
    }
  });
  if (request.mode !== undefined && !MODES.includes(request.mode)) {
    issues.push(error('value', `mode must be one of ${MODES.join(', ')}, not "${request.mode}"`, 'Parameters.parameter'));
  }
  if (!request.resource && request.mode !== 'delete') issues.push(error('required', 'the Parameters carries no "resource" to validate', 'Parameters.parameter'));
  return request;
}

function readRequest(body: Buffer | undefined): Request {
  if (!body || body.length === 0) throw badRequest('EMPTY_BODY', 'a resource, or a Parameters with a "resource", is required in the request body');
  const { parsed, issues } = readFhirJson(body);
  if (!parsed) throw invalidResource(400, issues);
  const value = parsed.value as Record<string, unknown>;
  if (value.resourceType === 'Parameters') return fromParameters(parsed, issues);
  return { resource: parsed, profiles: [], issues };
}

export function validateOperation(type: string, id: string | undefined, body: Buffer | undefined): OperationOutcome {
  const request = readRequest(body);
  const issues = [...request.issues];
  if (request.resource) {
    const report = validationReport(type, request.resource);
    issues.push(...report.issues);
    const value = request.resource.value as Record<string, unknown>;
    if (id !== undefined && value.id !== undefined && value.id !== id) {
      issues.push(validationIssue('value', 'TYPE_MISMATCH', `the resource's id "${String(value.id)}" differs from the URL's "${id}"`, { expression: `${type}.id` }));
    }
    // Profiles judge a resource whose structure is sound; a 400-class problem stops there, as on a write.
    if (report.status !== 400) issues.push(...profileIssues(value, { reportUnknown: true, extra: request.profiles }));
  }
  const ordered = [...issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), ...issues.filter((i) => i.severity !== 'error' && i.severity !== 'fatal')];
  if (!hasErrors(ordered)) {
    const what = request.resource ? `the ${type} is valid R4${request.profiles.length || hasProfiles(request.resource) ? ' and meets the profiles this server knows among those it claims' : ''}` : 'a deletion is not checked: $validate applies no DMP rule (D12)';
    ordered.push({ severity: 'information', code: 'informational', diagnostics: `no errors: ${what}` });
  }
  return operationOutcome(ordered);
}

function hasProfiles(resource: ParsedJson): boolean {
  const meta = (resource.value as { meta?: { profile?: unknown } }).meta;
  return Array.isArray(meta?.profile) && meta.profile.length > 0;
}
