import type { OperationOutcomeIssue, Patient, Resource } from 'fhir/r4';
import { conflict, ERROR_CODE_SYSTEM, FhirError, invalidResource } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import { insIdentifiers, insProblem } from '../validation/ins.js';
import { hasErrors } from '../validation/issue.js';
import { profileIssues } from '../validation/profiles.js';
import type { RequestContext } from './context.js';

/**
 * What a write must meet beyond base R4, checked after the access rules and base validation have
 * passed (D10: 403/409/404 first, then 400/422):
 * 1. D21: every INS identifier of a Patient is well formed with the right key (422 naming D21);
 * 2. the constraints of our profiles that `meta.profile` names (422 with key and location); a
 *    profile we do not know is ignored (see validation/profiles.ts);
 * 3. D21: one Patient per INS. An INS the new version brings (absent from the version it replaces)
 *    already carried by another live Patient is a 409.
 *
 * The uniqueness check is an indexed lookup on `idx.identifier`, not a constraint of the store: two
 * writes bringing the same INS can both pass it when each looks up before the other commits. The
 * window is the time from this lookup to this request's own commit (building the row and one
 * commit: milliseconds, on any node); outside it the second write sees the first and gets its 409.
 * Closing it needs the store to refuse the second commit: a row keyed by the INS (e.g. an id derived
 * from `system|value`) committed with the Patient at expected version 0, so that the slower of two
 * racing writes fails with a version conflict. Not done: it adds a row kind to both engines.
 */
export async function checkConformance(ctx: RequestContext, id: string, resource: Resource, previous?: StoredRow): Promise<void> {
  const patient = resource.resourceType === 'Patient' ? (resource as Patient) : undefined;
  if (patient) assertInsKeys(patient);
  const issues = profileIssues(resource, { reportUnknown: false });
  if (hasErrors(issues)) throw invalidResource(422, issues);
  if (patient) await assertInsUnique(ctx, id, patient, previous);
}

const INS_INVALID = 'INS_INVALID';

function assertInsKeys(patient: Patient): void {
  const issues: OperationOutcomeIssue[] = [];
  for (const { index, value } of insIdentifiers(patient.identifier)) {
    const problem = insProblem(value);
    if (!problem) continue;
    issues.push({
      severity: 'error',
      code: 'value',
      details: { coding: [{ system: ERROR_CODE_SYSTEM, code: INS_INVALID }] },
      diagnostics:
        problem.kind === 'malformed'
          ? `D21: "${value}" is not an INS: 13 characters (digits; the department may be 2A or 2B) and a 2-digit key`
          : `D21: the INS key of ${value.slice(0, 13)} is ${problem.expected}, not ${value.slice(13)}`,
      expression: [`Patient.identifier[${index}].value`],
    });
  }
  if (issues.length > 0) throw new FhirError(422, INS_INVALID, issues, {}, 'D21');
}

/** The INS of a Patient version as `system|value` keys, the form `idx.identifier` holds. */
function insKeys(resource: Resource | undefined): Set<string> {
  if (resource?.resourceType !== 'Patient') return new Set();
  return new Set(insIdentifiers((resource as Patient).identifier).map((i) => `${i.system}|${i.value}`));
}

async function assertInsUnique(ctx: RequestContext, id: string, patient: Patient, previous?: StoredRow): Promise<void> {
  const kept = previous && !previous.deleted ? insKeys(previous.resource) : new Set<string>();
  const pending = ctx.unitOfWork?.pending;
  for (const key of insKeys(patient)) {
    if (kept.has(key)) continue;
    const stored = await ctx.services.store.find('Patient', { filter: { 'idx.identifier': key }, limit: 3 });
    // Inside a transaction the other Patients' versions written earlier in it count, not the stored ones.
    const holders = [
      ...stored.filter((row) => !pending?.has(`Patient/${row.id}`)),
      ...[...(pending?.values() ?? [])].filter((row) => row.type === 'Patient' && !row.deleted),
    ];
    if (holders.some((row) => row.id !== id && insKeys(row.resource).has(key))) {
      throw conflict('INS_ALREADY_USED', `D21: a Patient with the INS ${key} already exists; find it with Patient?identifier=${key}`, 'D21');
    }
  }
}
