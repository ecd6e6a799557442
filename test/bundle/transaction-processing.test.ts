import type { AllergyIntolerance, AuditEvent, Patient } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { created, errorCode } from '../helpers/fhir.js';
import { ACTIVE_ALLERGY, bundleOf, locationOf, plainPatient, postEntry, putEntry, readStored, sendBundle, storeCounts, urn } from './bundle-helpers.js';

const MRN = 'https://hospital.example/mrn';
const allergyOf = (reference: string) => ({ resourceType: 'AllergyIntolerance', clinicalStatus: ACTIVE_ALLERGY, patient: { reference } }) as AllergyIntolerance;

describe.each(STORE_KINDS)('transaction processing on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterEach(() => t.close());

  it('answers each entry in request order with status, location, etag and lastModified, resources only on request', async () => {
    const p = urn();
    const entries = [postEntry(urn(), allergyOf(p)), postEntry(p, plainPatient('Moreau'))];
    const minimal = await sendBundle(t.request, bundleOf('transaction', entries));
    expect(minimal.status, minimal.text).toBe(200);
    const [allergy, patient] = minimal.body.entry;
    expect(allergy.response).toMatchObject({ status: '201 Created', etag: 'W/"1"' });
    expect(allergy.response.location).toMatch(/^AllergyIntolerance\/[\w-]+\/_history\/1$/);
    expect(Date.parse(allergy.response.lastModified)).not.toBeNaN();
    expect(patient.response.location).toMatch(/^Patient\//);
    expect(patient.fullUrl).toBe(`${t.config.baseUrl}/${locationOf(patient)}`);
    expect(allergy.resource).toBeUndefined();

    const full = await sendBundle(t.request, bundleOf('transaction', entries), { prefer: 'return=representation' });
    expect(full.body.entry[1].resource.resourceType).toBe('Patient');
    expect(full.body.entry[0].resource.patient.reference).toBe(locationOf(full.body.entry[1]));
  });

  it('processes deletes before creates: a conditional create of what the Bundle deletes creates a new resource', async () => {
    const old = await created(t, plainPatient('Lefebvre', 'A1') as Patient);
    const res = await sendBundle(t.request, bundleOf('transaction', [
      postEntry(urn(), plainPatient('Lefebvre', 'A1'), { ifNoneExist: `identifier=${MRN}|A1` }),
      { request: { method: 'DELETE', url: `Patient?identifier=${MRN}|A1` } },
    ]));
    expect(res.status, res.text).toBe(200);
    expect(res.body.entry[0].response.status).toBe('201 Created');
    expect(locationOf(res.body.entry[0])).not.toBe(`Patient/${old.id}`);
    expect(res.body.entry[1].response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
    expect((await t.request.get(`/fhir/Patient/${old.id}`)).status).toBe(410);
  });

  it('returns the match of a conditional create and points the references to its fullUrl at it', async () => {
    const existing = await created(t, plainPatient('Garnier', 'G7') as Patient);
    const p = urn();
    const res = await sendBundle(t.request, bundleOf('transaction', [
      postEntry(p, plainPatient('Garnier', 'G7'), { ifNoneExist: `identifier=${MRN}|G7` }),
      postEntry(urn(), allergyOf(p)),
    ]));
    expect(res.status, res.text).toBe(200);
    expect(res.body.entry[0].response).toMatchObject({ status: '200 OK', location: `Patient/${existing.id}/_history/1` });
    const allergy = await readStored<AllergyIntolerance>(t.store, locationOf(res.body.entry[1]));
    expect(allergy.patient.reference).toBe(`Patient/${existing.id}`);
    expect(await t.store.count('Patient', {})).toBe(1);
  });

  it('updates the match of a conditional update, creates when none matches, deletes the match of a conditional delete', async () => {
    const kept = await created(t, plainPatient('Bonnet', 'B1') as Patient);
    const gone = await created(t, plainPatient('Blanc', 'B2') as Patient);
    const res = await sendBundle(t.request, bundleOf('transaction', [
      putEntry(`Patient?identifier=${MRN}|B1`, { ...plainPatient('Bonnet-Martin', 'B1') }),
      putEntry(`Patient?identifier=${MRN}|B3`, { ...plainPatient('Nouveau', 'B3') }),
      { request: { method: 'DELETE', url: `Patient?identifier=${MRN}|B2` } },
      { request: { method: 'DELETE', url: `Patient?identifier=${MRN}|nobody` } },
    ]));
    expect(res.status, res.text).toBe(200);
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['200 OK', '201 Created', '200 OK', '200 OK']);
    expect(res.body.entry[0].response.location).toBe(`Patient/${kept.id}/_history/2`);
    expect((await readStored<Patient>(t.store, `Patient/${kept.id}`)).name?.[0]?.family).toBe('Bonnet-Martin');
    expect((await t.request.get(`/fhir/Patient/${gone.id}`)).status).toBe(410);
    expect(res.body.entry[3].response.etag).toBeUndefined();
    expect((await t.request.get(`/fhir/Patient?identifier=${MRN}|B3`)).body.total).toBe(1);
  });

  it('resolves a conditional reference to its single match', async () => {
    const patient = await created(t, plainPatient('Chevalier', 'C1') as Patient);
    const res = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), allergyOf(`Patient?identifier=${MRN}|C1`))]));
    expect(res.status, res.text).toBe(200);
    expect((await readStored<AllergyIntolerance>(t.store, locationOf(res.body.entry[0]))).patient.reference).toBe(`Patient/${patient.id}`);
  });

  it('fails on a conditional reference that matches nothing (404) or several resources (412), storing nothing', async () => {
    await created(t, plainPatient('Faure', 'F1') as Patient);
    await created(t, plainPatient('Faure', 'F1') as Patient);
    const before = await storeCounts(t.store);
    const none = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), plainPatient('X')), postEntry(urn(), allergyOf(`Patient?identifier=${MRN}|F9`))]));
    expect(none.status).toBe(404);
    expect(errorCode(none.body)).toBe('CONDITIONAL_REFERENCE_UNRESOLVED');
    const several = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), plainPatient('X')), postEntry(urn(), allergyOf(`Patient?identifier=${MRN}|F1`))]));
    expect(several.status).toBe(412);
    expect(errorCode(several.body)).toBe('MULTIPLE_MATCHES');
    expect(await storeCounts(t.store)).toEqual(before);
  });

  it('runs updates by id, JSON patches and reads in the same transaction', async () => {
    const patient = await created(t, plainPatient('Girard', 'H1') as Patient);
    const patchOps = [{ op: 'replace', path: '/name/0/family', value: 'Girard-Roy' }];
    const res = await sendBundle(t.request, bundleOf('transaction', [
      { request: { method: 'GET', url: `Patient/${patient.id}` } },
      { request: { method: 'GET', url: `Patient?identifier=${MRN}|H1` } },
      {
        resource: { resourceType: 'Binary', contentType: 'application/json-patch+json', data: Buffer.from(JSON.stringify(patchOps)).toString('base64') },
        request: { method: 'PATCH', url: `Patient/${patient.id}` },
      },
      putEntry('Patient/chosen-id', { ...plainPatient('Mercier'), id: 'chosen-id' } as Patient),
    ]));
    expect(res.status, res.text).toBe(200);
    // reads run last and see the store as it was before the transaction's commit
    expect(res.body.entry[0].resource.name[0].family).toBe('Girard');
    expect(res.body.entry[1].resource.total).toBe(1);
    expect(res.body.entry[2].response).toMatchObject({ status: '200 OK', etag: 'W/"2"' });
    expect(res.body.entry[3].response).toMatchObject({ status: '201 Created', location: 'Patient/chosen-id/_history/1' });
    expect((await readStored<Patient>(t.store, `Patient/${patient.id}`)).name?.[0]?.family).toBe('Girard-Roy');
  });

  it('refuses two entries writing the same resource, and Bundles that are not transactions or batches', async () => {
    const twice = await sendBundle(t.request, bundleOf('transaction', [
      putEntry('Patient/same', { ...plainPatient('A'), id: 'same' } as Patient),
      putEntry('Patient/same', { ...plainPatient('B'), id: 'same' } as Patient),
    ]));
    expect(twice.status).toBe(400);
    expect(errorCode(twice.body)).toBe('DUPLICATE_TARGET');
    const collection = await sendBundle(t.request, { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: urn(), resource: plainPatient('C') }] });
    expect(collection.status).toBe(400);
    expect(errorCode(collection.body)).toBe('BUNDLE_TYPE');
    const patient = await sendBundle(t.request, plainPatient('D'));
    expect(errorCode(patient.body)).toBe('NOT_A_BUNDLE');
    const noRequest = await sendBundle(t.request, { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: urn(), resource: plainPatient('E') }] });
    expect(noRequest.status).toBe(422);
    expect(JSON.stringify(noRequest.body)).toContain('bdl-3');
    expect(await t.store.count('Patient', {})).toBe(0);
  });

  it('D25 writes one AuditEvent for the transaction, listing every entry it wrote', async () => {
    const p = urn();
    const res = await sendBundle(t.request, bundleOf('transaction', [postEntry(urn(), allergyOf(p)), postEntry(urn(), allergyOf(p)), postEntry(p, plainPatient('Lambert'))]));
    expect(res.status, res.text).toBe(200);
    const events = (await t.store.find('AuditEvent', { filter: {} })).map((r) => r.resource as AuditEvent);
    expect(events).toHaveLength(1);
    expect(events[0]!.subtype?.[0]?.code).toBe('transaction');
    const listed = (events[0]!.entity ?? []).map((e) => e.what?.reference);
    for (const entry of res.body.entry) expect(listed).toContain(entry.response.location);
  });
});
