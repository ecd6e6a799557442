import type { AuditEvent, BundleEntry, Patient } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { created } from '../helpers/fhir.js';
import { RECEPTION, aliceWorld } from '../audit/dmp-world.js';
import { ACTIVE_ALLERGY, bundleOf, locationOf, plainPatient, postEntry, putEntry, readStored, sendBundle, urn } from './bundle-helpers.js';

const MRN = 'https://hospital.example/mrn';
type ResponseEntry = Required<Pick<BundleEntry, 'response'>> & BundleEntry;
const statuses = (entries: ResponseEntry[]) => entries.map((e) => e.response.status);
const codeOf = (entry: ResponseEntry) => (entry.response.outcome as { issue: Array<{ details: { coding: Array<{ code: string }> } }> } | undefined)?.issue[0]?.details.coding[0]?.code;
const events = async (t: TestApp) => (await t.store.find('AuditEvent', { filter: {} })).map((r) => r.resource as AuditEvent).filter((e) => e.subtype?.[0]?.code === 'batch');

describe.each(STORE_KINDS)('batch Bundles on the %s store', (kind) => {
  let t: TestApp;
  afterEach(() => t.close());

  it('answers every entry on its own and keeps the ones that succeed', async () => {
    t = await createTestApp({ kind, accessControl: false });
    const existing = await created(t, plainPatient('Rousseau', 'R1') as Patient);
    const res = await sendBundle(t.request, bundleOf('batch', [
      postEntry(urn(), plainPatient('Vincent')),
      postEntry(urn(), { ...plainPatient('Invalide'), gender: 'sometimes' } as unknown as Patient),
      { request: { method: 'GET', url: 'Patient/nobody' } },
      putEntry('Patient/p-42', { ...plainPatient('Muller'), id: 'p-42' } as Patient),
      { request: { method: 'DELETE', url: `Patient/${existing.id}` } },
      { request: { method: 'GET', url: `Patient?identifier=${MRN}|R1` } },
      postEntry(urn(), { resourceType: 'Observation', status: 'final', code: { text: 'x' } } as never),
    ]));
    expect(res.status, res.text).toBe(200);
    expect(res.body.type).toBe('batch-response');
    const entries = res.body.entry as ResponseEntry[];
    expect(statuses(entries)).toEqual(['201 Created', '400 Bad Request', '404 Not Found', '201 Created', '200 OK', '200 OK', '404 Not Found']);
    expect(entries[1]!.response.outcome?.resourceType).toBe('OperationOutcome');
    expect(codeOf(entries[2]!)).toBe('RESOURCE_NOT_FOUND');
    expect(codeOf(entries[6]!)).toBe('UNSUPPORTED_TYPE');
    // batch entries are independent: the search sees the store as it was before the batch
    expect(entries[5]!.resource).toMatchObject({ resourceType: 'Bundle', total: 1 });
    expect((await readStored<Patient>(t.store, locationOf(entries[0]))).name?.[0]?.family).toBe('Vincent');
    expect((await readStored<Patient>(t.store, 'Patient/p-42')).name?.[0]?.family).toBe('Muller');
    expect((await t.request.get(`/fhir/Patient/${existing.id}`)).status).toBe(410);
    expect(await t.store.count('Patient', {})).toBe(2);
    const [event] = await events(t);
    expect(event?.outcome).toBe('4');
    const listed = (event?.entity ?? []).map((e) => e.what?.reference);
    expect(listed).toContain(entries[0]!.response.location);
    expect(listed).toContain('Patient/p-42/_history/1');
  });

  it('refuses an entry that refers to another entry, and a second write of the same resource', async () => {
    t = await createTestApp({ kind, accessControl: false });
    const p = urn();
    const res = await sendBundle(t.request, bundleOf('batch', [
      postEntry(p, plainPatient('Fontaine')),
      postEntry(urn(), { resourceType: 'AllergyIntolerance', clinicalStatus: ACTIVE_ALLERGY, patient: { reference: p } } as never),
      putEntry('Patient/twice', { ...plainPatient('Un'), id: 'twice' } as Patient),
      putEntry('Patient/twice', { ...plainPatient('Deux'), id: 'twice' } as Patient),
    ]));
    const entries = res.body.entry as ResponseEntry[];
    expect(statuses(entries)).toEqual(['201 Created', '400 Bad Request', '201 Created', '409 Conflict']);
    expect(codeOf(entries[1]!)).toBe('UNRESOLVED_PLACEHOLDER');
    expect(codeOf(entries[3]!)).toBe('DUPLICATE_TARGET');
    expect((await readStored<Patient>(t.store, 'Patient/twice')).name?.[0]?.family).toBe('Un');
    expect(await t.store.count('AllergyIntolerance', {})).toBe(0);
  });

  it('resolves conditional references and traces a fully successful batch with outcome 0', async () => {
    t = await createTestApp({ kind, accessControl: false });
    const patient = await created(t, plainPatient('Dupuis', 'D1') as Patient);
    const res = await sendBundle(t.request, bundleOf('batch', [
      postEntry(urn(), { resourceType: 'AllergyIntolerance', clinicalStatus: ACTIVE_ALLERGY, patient: { reference: `Patient?identifier=${MRN}|D1` } } as never),
    ]));
    expect(statuses(res.body.entry)).toEqual(['201 Created']);
    expect((await readStored<{ patient: { reference: string } } & Patient>(t.store, locationOf(res.body.entry[0]))).patient.reference).toBe(`Patient/${patient.id}`);
    expect((await events(t)).map((e) => e.outcome)).toEqual(['0']);
  });

  it('applies the access rules to each entry: refused entries fail alone', async () => {
    t = await createTestApp({ kind });
    await aliceWorld(t);
    const reception = await t.as(RECEPTION);
    const alice = (await t.store.read('Patient', 'alice'))!.resource as Patient;
    const res = await sendBundle(reception, bundleOf('batch', [
      putEntry('Patient/alice', { ...alice, meta: undefined, name: [{ family: 'Martin-Durand', given: ['Alice'] }] } as Patient),
      postEntry(urn(), { resourceType: 'AllergyIntolerance', clinicalStatus: ACTIVE_ALLERGY, patient: { reference: 'Patient/alice' } } as never),
      { request: { method: 'GET', url: 'DocumentReference/report-1' } },
    ]));
    expect(res.status, res.text).toBe(200);
    const entries = res.body.entry as ResponseEntry[];
    expect(statuses(entries)).toEqual(['200 OK', '403 Forbidden', '403 Forbidden']);
    expect(codeOf(entries[1]!)).toBe('ROLE_NOT_ALLOWED');
    expect((await readStored<Patient>(t.store, 'Patient/alice')).name?.[0]?.family).toBe('Martin-Durand');
    expect(await t.store.count('AllergyIntolerance', {})).toBe(0);
    const [event] = await events(t);
    expect(event?.outcome).toBe('4');
  });
});
