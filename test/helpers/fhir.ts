import type { Patient, Resource } from 'fhir/r4';
import { withInsKey } from '../../src/validation/ins.js';
import type { TestApp } from './app.js';

export const FHIR_JSON = 'application/fhir+json';

/** A minimal valid Patient with a random test INS (13 characters and their D21 key). */
export function patient(family = 'Martin', given = 'Hélène', extra: Record<string, unknown> = {}): Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: withInsKey(`2${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}`) }],
    name: [{ family, given: [given] }],
    gender: 'female',
    birthDate: '1980-04-12',
    ...extra,
  } as Patient;
}

export function post(t: TestApp, url: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request.post(url).set('content-type', FHIR_JSON).set(headers).send(JSON.stringify(body));
}

export function put(t: TestApp, url: string, body: unknown, headers: Record<string, string> = {}) {
  return t.request.put(url).set('content-type', FHIR_JSON).set(headers).send(JSON.stringify(body));
}

/** Creates a resource and returns what the server stored. */
export async function created<T extends Resource>(t: TestApp, resource: T): Promise<T> {
  const res = await post(t, `/fhir/${resource.resourceType}`, resource);
  if (res.status !== 201) throw new Error(`create ${resource.resourceType} failed: ${res.status} ${res.text}`);
  return res.body as T;
}

/** The first issue's stable error code (`issue[0].details.coding[0].code`). */
export function errorCode(body: { issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }> }): string | undefined {
  return body.issue?.[0]?.details?.coding?.[0]?.code;
}
