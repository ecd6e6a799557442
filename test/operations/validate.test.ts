import type { AuditEvent, OperationOutcome } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { errorCode, FHIR_JSON } from '../helpers/fhir.js';
import { auditEvents } from '../audit/dmp-world.js';

/** D12: `$validate` for any authenticated role; reads and writes nothing; 200 unless the body is not JSON. */

const text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Alice</div>' };
const validPatient = { resourceType: 'Patient', text, name: [{ family: 'Martin' }], gender: 'female' };
const DMP_PATIENT = 'https://dmp-fhir-server.example/StructureDefinition/dmp-patient';

describe('$validate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const validate = async (url: string, body: unknown, who: Parameters<TestApp['as']>[0] = { role: 'admin' }) =>
    (await t.as(who)).post(url).set('content-type', FHIR_JSON).send(typeof body === 'string' ? body : JSON.stringify(body));
  const issues = (res: { body: OperationOutcome }) => res.body.issue.map((i) => `${i.severity}: ${i.diagnostics}`);

  it('D12 answers 200 with an information issue "no errors" for a valid resource, to any role', async () => {
    for (const who of [{ role: 'admin' }, { role: 'patient', fhirUser: 'Patient/x' }, { role: 'delegate', rpps: '10000000011', profession: '10', specialty: 'SM26' }, { role: 'insurer-feed' }]) {
      const res = await validate('/fhir/Patient/$validate', validPatient, who);
      expect(res.status, who.role).toBe(200);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(issues(res), who.role).toEqual([expect.stringMatching(/^information: no errors/)]);
    }
  });

  it('D12 answers 200 with the errors of an invalid resource, and stores nothing', async () => {
    const before = await t.store.count('Patient', {});
    const res = await validate('/fhir/Patient/$validate', { ...validPatient, gender: 'unknown-value', birthDate: '1980-02-30' });
    expect(res.status).toBe(200);
    expect(res.body.issue.filter((i: { severity: string }) => i.severity === 'error').length).toBeGreaterThanOrEqual(1);
    expect(res.body.issue.some((i: { severity: string }) => i.severity === 'information')).toBe(false);
    expect(await t.store.count('Patient', {})).toBe(before);
  });

  it('takes the resource from a Parameters', async () => {
    const res = await validate('/fhir/Patient/$validate', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: validPatient }] });
    expect(res.status).toBe(200);
    expect(issues(res)).toEqual([expect.stringMatching(/^information: no errors/)]);
    const invalid = await validate('/fhir/Patient/$validate', { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: { resourceType: 'Patient', foo: 1 } }] });
    expect(invalid.status).toBe(200);
    expect(invalid.body.issue[0].severity).toBe('error');
  });

  it('D12 answers 400 only for a body that cannot be parsed', async () => {
    const res = await validate('/fhir/Patient/$validate', '{"resourceType": "Patient",');
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(errorCode(res.body)).toBe('INVALID_JSON');
    // D9 problems of a JSON body are reported, not refused
    const duplicate = await validate('/fhir/Patient/$validate', '{"resourceType":"Patient","gender":"male","gender":"female"}');
    expect(duplicate.status).toBe(200);
    expect(errorCode(duplicate.body)).toBe('DUPLICATE_KEY');
  });

  it('checks the profiles of meta.profile, and says which it could not check', async () => {
    const res = await validate('/fhir/Patient/$validate', { ...validPatient, meta: { profile: [DMP_PATIENT, 'http://example.org/StructureDefinition/other'] } });
    expect(res.status).toBe(200);
    expect(res.body.issue[0]).toMatchObject({ severity: 'error', expression: ['Patient'], diagnostics: expect.stringMatching(/^dmp-pat-1/) });
    expect(res.body.issue.some((i: { severity: string; diagnostics: string }) => i.severity === 'warning' && i.diagnostics.includes('other'))).toBe(true);
  });

  it('applies no DMP rule: a wrong INS key is not reported without the profile (D12, D21 is a write rule)', async () => {
    const res = await validate('/fhir/Patient/$validate', { ...validPatient, identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: '280017512345678' }] });
    expect(issues(res)).toEqual([expect.stringMatching(/^information: no errors/)]);
  });

  it('validates for an instance: an id other than the URL one is an error', async () => {
    const res = await validate('/fhir/Patient/p1/$validate', { ...validPatient, id: 'p2' });
    expect(res.status).toBe(200);
    expect(res.body.issue[0]).toMatchObject({ severity: 'error', expression: ['Patient.id'] });
    const same = await validate('/fhir/Patient/p1/$validate', { ...validPatient, id: 'p1' });
    expect(issues(same)).toEqual([expect.stringMatching(/^information: no errors/)]);
  });

  it('works on every supported type, server-written ones included, and is traced as the $validate operation', async () => {
    const before = (await auditEvents(t)).length;
    const res = await validate('/fhir/AuditEvent/$validate', { resourceType: 'AuditEvent' });
    expect(res.status).toBe(200);
    expect(res.body.issue[0].severity).toBe('error');
    const [event] = (await auditEvents(t)).slice(before) as AuditEvent[];
    expect(event!.subtype?.map((c) => c.code)).toEqual(['operation', '$validate']);
    expect(await t.store.count('AuditEvent', {})).toBe(before + 1);
  });

  it('answers 405 to GET and 401 without a token', async () => {
    expect((await (await t.as({ role: 'admin' })).get('/fhir/Patient/$validate')).status).toBe(405);
    expect((await t.anonymous.post('/fhir/Patient/$validate').set('content-type', FHIR_JSON).send(JSON.stringify(validPatient))).status).toBe(401);
  });
});
