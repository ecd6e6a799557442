import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { created, errorCode, patient, put } from '../helpers/fhir.js';

describe.each(STORE_KINDS)('update, patch and delete on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterEach(() => t.close());

  it('updates a resource to a new version', async () => {
    const p = await created(t, patient());
    const res = await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'male' });
    expect(res.status).toBe(200);
    expect(res.body.meta.versionId).toBe('2');
    expect(res.body.gender).toBe('male');
    expect(res.headers.etag).toBe('W/"2"');
    expect((await t.request.get(`/fhir/Patient/${p.id}/_history/1`)).body.gender).toBe('female');
  });

  it('creates a resource under the client id when updating one that does not exist', async () => {
    const res = await put(t, '/fhir/Patient/pat-42', { ...patient(), id: 'pat-42' });
    expect(res.status).toBe(201);
    expect(res.body.id).toBe('pat-42');
    expect(res.headers.location).toBe('http://localhost:8080/fhir/Patient/pat-42/_history/1');
  });

  it('refuses an update whose body id differs from the URL or is missing', async () => {
    const p = await created(t, patient());
    const mismatch = await put(t, `/fhir/Patient/${p.id}`, { ...p, id: 'other' });
    expect(mismatch.status).toBe(400);
    expect(errorCode(mismatch.body)).toBe('ID_MISMATCH');
    const { id: _omitted, ...noId } = p;
    const missing = await put(t, `/fhir/Patient/${p.id}`, noId);
    expect(missing.status).toBe(400);
    expect(errorCode(missing.body)).toBe('ID_MISSING');
  });

  it('updates the one match of a conditional update, and creates when nothing matches', async () => {
    const p = await created(t, patient('Lefebvre'));
    const ident = p.identifier![0]!;
    const res = await put(t, `/fhir/Patient?identifier=${ident.system}|${ident.value}`, { ...patient('Lefebvre'), identifier: [ident], gender: 'other' });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(p.id);
    expect(res.body.gender).toBe('other');
    const fresh = await put(t, '/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.10|999', patient('Nouveau'));
    expect(fresh.status).toBe(201);
  });

  it('patches a resource with JSON Patch', async () => {
    const p = await created(t, patient());
    const res = await t.request
      .patch(`/fhir/Patient/${p.id}`)
      .set('content-type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'replace', path: '/gender', value: 'male' }, { op: 'add', path: '/active', value: true }]));
    expect(res.status).toBe(200);
    expect(res.body.gender).toBe('male');
    expect(res.body.active).toBe(true);
    expect(res.body.meta.versionId).toBe('2');
  });

  it('answers 422 when a JSON Patch test operation fails, and changes nothing', async () => {
    const p = await created(t, patient());
    const res = await t.request
      .patch(`/fhir/Patient/${p.id}`)
      .set('content-type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'test', path: '/gender', value: 'male' }, { op: 'replace', path: '/gender', value: 'other' }]));
    expect(res.status).toBe(422);
    expect(errorCode(res.body)).toBe('PATCH_TEST_FAILED');
    expect((await t.request.get(`/fhir/Patient/${p.id}`)).body.meta.versionId).toBe('1');
  });

  it('refuses a patch that makes the resource invalid, and one sent as FHIR JSON', async () => {
    const p = await created(t, patient());
    const invalid = await t.request
      .patch(`/fhir/Patient/${p.id}`)
      .set('content-type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'add', path: '/unknownElement', value: 1 }]));
    expect(invalid.status).toBe(400);
    const wrongType = await t.request.patch(`/fhir/Patient/${p.id}`).set('content-type', 'application/fhir+json').send('[]');
    expect(wrongType.status).toBe(415);
  });

  it('deletes with a versioned tombstone: read gives 410, older versions stay readable', async () => {
    const p = await created(t, patient());
    const del = await t.request.delete(`/fhir/Patient/${p.id}`);
    expect(del.status).toBe(200);
    expect(del.headers.etag).toBe('W/"2"');
    const read = await t.request.get(`/fhir/Patient/${p.id}`);
    expect(read.status).toBe(410);
    expect(read.body.resourceType).toBe('OperationOutcome');
    expect((await t.request.get(`/fhir/Patient/${p.id}/_history/1`)).status).toBe(200);
    expect((await t.request.get(`/fhir/Patient/${p.id}/_history/2`)).status).toBe(410);
    expect((await t.request.delete(`/fhir/Patient/${p.id}`)).status).toBe(200);
    expect((await t.request.delete('/fhir/Patient/never-was')).status).toBe(404);
  });

  it('recreates a deleted resource with an update, continuing its versions', async () => {
    const p = await created(t, patient());
    await t.request.delete(`/fhir/Patient/${p.id}`);
    const res = await put(t, `/fhir/Patient/${p.id}`, p);
    expect(res.status).toBe(201);
    expect(res.body.meta.versionId).toBe('3');
  });

  it('deletes the one match of a conditional delete and refuses several matches with 412', async () => {
    const a = await created(t, patient('Moreau'));
    const ident = a.identifier![0]!;
    const res = await t.request.delete(`/fhir/Patient?identifier=${ident.system}|${ident.value}`);
    expect(res.status).toBe(200);
    expect((await t.request.get(`/fhir/Patient/${a.id}`)).status).toBe(410);
    await created(t, patient('Petit'));
    await created(t, patient('Petit'));
    expect((await t.request.delete('/fhir/Patient?family=Petit')).status).toBe(412);
  });
});
