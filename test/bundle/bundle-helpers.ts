import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { RESOURCE_TYPES } from '../../src/fhir/registry.js';
import type { Store } from '../../src/store/store.js';
import type { TestApp } from '../helpers/app.js';
import { FHIR_JSON } from '../helpers/fhir.js';

type Agent = TestApp['request'];

export const urn = () => `urn:uuid:${randomUUID()}`;

export function bundleOf(type: 'transaction' | 'batch', entry: BundleEntry[]): Bundle {
  return { resourceType: 'Bundle', type, entry };
}

export function postEntry(fullUrl: string, resource: Resource, extra: Partial<NonNullable<BundleEntry['request']>> = {}): BundleEntry {
  return { fullUrl, resource: resource as BundleEntry['resource'], request: { method: 'POST', url: resource.resourceType, ...extra } };
}

export function putEntry(url: string, resource: Resource, fullUrl?: string): BundleEntry {
  return { ...(fullUrl ? { fullUrl } : {}), resource: resource as BundleEntry['resource'], request: { method: 'PUT', url } };
}

export function sendBundle(agent: Agent, body: unknown, headers: Record<string, string> = {}) {
  return agent.post('/fhir').set('content-type', FHIR_JSON).set(headers).send(JSON.stringify(body));
}

/** Current rows and stored versions of every type but AuditEvent (a refused request still leaves its trace). */
export async function storeCounts(store: Store): Promise<Record<string, [current: number, versions: number]>> {
  const counts: Record<string, [number, number]> = {};
  for (const type of RESOURCE_TYPES.filter((t) => t !== 'AuditEvent')) {
    counts[type] = [await store.count(type, {}), await store.historyCount(type, undefined, {})];
  }
  return counts;
}

/** `Type/id` of a response entry's `location` (`Type/id/_history/n`). */
export function locationOf(entry: BundleEntry | undefined): string {
  const location = entry?.response?.location;
  if (!location) throw new Error(`no location in ${JSON.stringify(entry)}`);
  return location.split('/_history/')[0]!;
}

export async function readStored<T extends Resource>(store: Store, reference: string): Promise<T> {
  const [type, id] = reference.split('/');
  const row = await store.read(type!, id!);
  if (!row?.resource) throw new Error(`${reference} is not stored`);
  return row.resource as T;
}

export const ACTIVE_ALLERGY = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] };

/** A Patient without INS (the mechanics suites are not about D21). */
export function plainPatient(family: string, mrn: string = randomUUID()): Resource {
  return { resourceType: 'Patient', identifier: [{ system: 'https://hospital.example/mrn', value: mrn }], name: [{ family }] } as Resource;
}
