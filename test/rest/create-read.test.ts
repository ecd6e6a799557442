import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { created, errorCode, patient, post } from '../helpers/fhir.js';

describe.each(STORE_KINDS)('create and read on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterEach(() => t.close());

  it('creates a resource under a server id, with Location, ETag and Last-Modified', async () => {
    const res = await post(t, '/fhir/Patient', { ...patient(), id: 'client-chosen' });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.id).not.toBe('client-chosen');
    expect(res.body.meta.versionId).toBe('1');
    expect(res.headers.location).toBe(`http://localhost:8080/fhir/Patient/${res.body.id}/_history/1`);
    expect(res.headers.etag).toBe('W/"1"');
    expect(new Date(res.headers['last-modified']!).getTime()).toBeGreaterThan(0);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });

  it('reads back what was created, with its version headers', async () => {
    const p = await created(t, patient('Dupont', 'Jean'));
    const res = await t.request.get(`/fhir/Patient/${p.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(p);
    expect(res.headers.etag).toBe('W/"1"');
  });

  it('answers 404 with an OperationOutcome for an unknown id', async () => {
    const res = await t.request.get('/fhir/Patient/nobody');
    expect(res.status).toBe(404);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(errorCode(res.body)).toBe('RESOURCE_NOT_FOUND');
  });

  it('answers 400 for an id that is not a FHIR id', async () => {
    const res = await t.request.get(`/fhir/Patient/${'x'.repeat(65)}`);
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('INVALID_ID');
  });

  it('answers 404 naming the type for an unsupported resource type', async () => {
    for (const url of ['/fhir/Observation', '/fhir/Observation/1', '/fhir/Observation/1/_history']) {
      const res = await t.request.get(url);
      expect(res.status, url).toBe(404);
      expect(errorCode(res.body)).toBe('UNSUPPORTED_TYPE');
      expect(res.body.issue[0].diagnostics).toContain('Observation');
    }
  });

  it('returns the existing resource instead of creating a duplicate with If-None-Exist', async () => {
    const p = await created(t, patient());
    const identifier = p.identifier![0]!;
    const again = await post(t, '/fhir/Patient', patient(), { 'if-none-exist': `identifier=${identifier.system}|${identifier.value}` });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(p.id);
    const fresh = await post(t, '/fhir/Patient', patient(), { 'if-none-exist': 'identifier=urn:oid:1.2.250.1.213.1.4.10|000' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(p.id);
  });

  it('refuses a conditional create whose criteria match several resources with 412', async () => {
    await created(t, patient('Durand'));
    await created(t, patient('Durand'));
    const res = await post(t, '/fhir/Patient', patient('Durand'), { 'if-none-exist': 'family=Durand' });
    expect(res.status).toBe(412);
    expect(errorCode(res.body)).toBe('MULTIPLE_MATCHES');
  });

  it('refuses a body of another type than the URL with 400', async () => {
    const res = await post(t, '/fhir/Patient', { resourceType: 'Organization', name: 'CHU' });
    expect(res.status).toBe(400);
    expect(errorCode(res.body)).toBe('TYPE_MISMATCH');
  });

  it('answers 405 to a client create of an AuditEvent (written by the server only)', async () => {
    const res = await post(t, '/fhir/AuditEvent', { resourceType: 'AuditEvent' });
    expect(res.status).toBe(405);
    expect(errorCode(res.body)).toBe('METHOD_NOT_ALLOWED');
  });
});
