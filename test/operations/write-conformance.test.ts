import type { AuditEvent, DocumentReference, OperationOutcome, Patient } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withInsKey } from '../../src/validation/ins.js';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { errorCode, FHIR_JSON } from '../helpers/fhir.js';
import { aliceWorld, auditEvents, GP, RECEPTION } from '../audit/dmp-world.js';

/**
 * What a write must meet beyond base R4: the constraints of our profiles when `meta.profile` names
 * them (422 with the key and the location), D21's INS key (422) and one Patient per INS (409).
 */

const DMP_PATIENT = 'https://dmp-fhir-server.example/StructureDefinition/dmp-patient';
const DMP_DOC = 'https://dmp-fhir-server.example/StructureDefinition/dmp-document-reference';
const INS_TEST = 'urn:oid:1.2.250.1.213.1.4.10';
const INS_NIR = 'urn:oid:1.2.250.1.213.1.4.8';
const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';

type Agent = Awaited<ReturnType<TestApp['as']>>;
const send = (agent: Agent, method: 'post' | 'put', url: string, body: unknown) => agent[method](url).set('content-type', FHIR_JSON).send(JSON.stringify(body));
const patient = (value: string, system = INS_TEST, extra: Partial<Patient> = {}): Patient => ({
  resourceType: 'Patient',
  identifier: [{ system, value }],
  name: [{ family: 'Dupont' }],
  ...extra,
});
const issue = (body: OperationOutcome) => body.issue[0]!;

describe.each(STORE_KINDS)('profiles enforced on write, on the %s store', (kind) => {
  let t: TestApp;
  let gp: Agent;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await aliceWorld(t);
    gp = await t.as(GP);
  });
  afterEach(() => t.close());

  const document = (extra: Partial<DocumentReference> = {}): DocumentReference => ({
    resourceType: 'DocumentReference',
    meta: { profile: [DMP_DOC] },
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
    category: [{ coding: [{ system: TRE_A03, code: '10' }] }],
    subject: { reference: 'Patient/alice' },
    securityLabel: [{ coding: [{ system: TRE_A07, code: 'MASQUE_PS' }] }],
    content: [{ attachment: { contentType: 'application/pdf' } }],
    ...extra,
  });

  it('accepts a deposit that meets the DMP DocumentReference profile it claims', async () => {
    expect((await send(gp, 'post', '/fhir/DocumentReference', document())).status).toBe(201);
  });

  it('refuses with 422 a deposit breaking a constraint, naming its key and FHIRPath location', async () => {
    const badLabel = await send(gp, 'post', '/fhir/DocumentReference', document({ securityLabel: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'U' }] }] }));
    expect(badLabel.status).toBe(422);
    expect(issue(badLabel.body)).toMatchObject({ severity: 'error', code: 'invariant', expression: ['DocumentReference.securityLabel[0]'], diagnostics: expect.stringMatching(/^dmp-doc-5:/) });
    const noClass = await send(gp, 'post', '/fhir/DocumentReference', document({ category: undefined }));
    expect(noClass.status).toBe(422);
    expect(issue(noClass.body)).toMatchObject({ expression: ['DocumentReference'], diagnostics: expect.stringMatching(/^dmp-doc-4:/) });
    expect(await t.store.count('DocumentReference', {})).toBe(1); // alice's report only
  });

  it('applies the same constraints to an update and to a patch', async () => {
    const created = (await send(gp, 'post', '/fhir/DocumentReference', document())).body as DocumentReference;
    const update = await send(gp, 'put', `/fhir/DocumentReference/${created.id}`, { ...created, type: { coding: [{ system: 'http://example.org/types', code: 'x' }] } });
    expect(update.status).toBe(422);
    expect(issue(update.body).diagnostics).toMatch(/^dmp-doc-3:/);
    const patched = await gp
      .patch(`/fhir/DocumentReference/${created.id}`)
      .set('content-type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'remove', path: '/category' }]));
    expect(patched.status).toBe(422);
    expect(issue(patched.body).diagnostics).toMatch(/^dmp-doc-4:/);
  });

  it('ignores a profile it does not know, as FHIR lets a server do, and refuses one of another type', async () => {
    const other = { ...document(), meta: { profile: ['https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/PDSm_ComprehensiveDocumentReference'] }, category: undefined };
    expect((await send(gp, 'post', '/fhir/DocumentReference', other)).status).toBe(201);
    const wrongType = await send(gp, 'post', '/fhir/DocumentReference', { ...document(), meta: { profile: [DMP_PATIENT] } });
    expect(wrongType.status).toBe(422);
    expect(issue(wrongType.body).diagnostics).toMatch(/constrains Patient/);
  });

  it('refuses a Patient claiming the DMP Patient profile without an INS', async () => {
    const reception = await t.as(RECEPTION);
    const res = await send(reception, 'post', '/fhir/Patient', { ...patient('M-1', 'http://example.org/mrn'), meta: { profile: [DMP_PATIENT] } });
    expect(res.status).toBe(422);
    expect(issue(res.body)).toMatchObject({ expression: ['Patient'], diagnostics: expect.stringMatching(/^dmp-pat-1:/) });
  });
});

describe.each(STORE_KINDS)('D21 INS on write, on the %s store', (kind) => {
  let t: TestApp;
  let reception: Agent;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    reception = await t.as(RECEPTION);
  });
  afterEach(() => t.close());

  it('D21 refuses a wrong INS key with 422 naming the rule, the expected key and the location', async () => {
    const before = (await auditEvents(t)).length;
    const res = await send(reception, 'post', '/fhir/Patient', patient('280017512345678'));
    expect(res.status).toBe(422);
    expect(errorCode(res.body)).toBe('INS_INVALID');
    expect(issue(res.body)).toMatchObject({ expression: ['Patient.identifier[0].value'], diagnostics: expect.stringContaining('is 10, not 78') });
    const [event] = (await auditEvents(t)).slice(before) as AuditEvent[];
    expect(event!.outcomeDesc).toBe('D21 INS_INVALID');
    const malformed = await send(reception, 'post', '/fhir/Patient', patient('28001751234', INS_NIR));
    expect(malformed.status).toBe(422);
    expect(issue(malformed.body).diagnostics).toMatch(/is not an INS/);
    expect(await t.store.count('Patient', {})).toBe(0);
  });

  it('D21 accepts a Corsican INS (2A, 2B) with its key', async () => {
    expect((await send(reception, 'post', '/fhir/Patient', patient(withInsKey('185022A123456'), INS_NIR))).status).toBe(201);
    expect((await send(reception, 'post', '/fhir/Patient', patient(withInsKey('185022B123456'), INS_NIR))).status).toBe(201);
  });

  it('D21 refuses a second Patient with the same INS (409), in the same system only', async () => {
    const value = withInsKey('2800175123456');
    expect((await send(reception, 'post', '/fhir/Patient', patient(value))).status).toBe(201);
    const again = await send(reception, 'post', '/fhir/Patient', patient(value, INS_TEST, { name: [{ family: 'Autre' }] }));
    expect(again.status).toBe(409);
    expect(errorCode(again.body)).toBe('INS_ALREADY_USED');
    const asCreate = await send(reception, 'put', '/fhir/Patient/other', { ...patient(value), id: 'other' });
    expect(asCreate.status).toBe(409);
    // the same digits as an INS-NIR are another identifier
    expect((await send(reception, 'post', '/fhir/Patient', patient(value, INS_NIR))).status).toBe(201);
    expect(await t.store.count('Patient', {})).toBe(2);
  });

  it('D21 lets a Patient keep its own INS on update, refuses an update or patch bringing another one', async () => {
    const mine = withInsKey('2800175123456');
    const theirs = withInsKey('1750599123456');
    await send(reception, 'put', '/fhir/Patient/p1', { ...patient(mine), id: 'p1' });
    await send(reception, 'put', '/fhir/Patient/p2', { ...patient(theirs), id: 'p2' });
    expect((await send(reception, 'put', '/fhir/Patient/p1', { ...patient(mine), id: 'p1', gender: 'female' })).status).toBe(200);
    const taken = await send(reception, 'put', '/fhir/Patient/p1', { ...patient(theirs), id: 'p1' });
    expect(taken.status).toBe(409);
    const patched = await reception
      .patch('/fhir/Patient/p1')
      .set('content-type', 'application/json-patch+json')
      .send(JSON.stringify([{ op: 'add', path: '/identifier/-', value: { system: INS_TEST, value: theirs } }]));
    expect(patched.status).toBe(409);
    expect(errorCode(patched.body)).toBe('INS_ALREADY_USED');
  });

  it('D21 frees the INS of a deleted Patient (REST mechanics, access rules off)', async () => {
    const rest = await createTestApp({ kind, accessControl: false });
    try {
      const value = withInsKey('2800175123456');
      expect((await send(rest.request, 'put', '/fhir/Patient/gone', { ...patient(value), id: 'gone' })).status).toBe(201);
      expect((await send(rest.request, 'post', '/fhir/Patient', patient(value))).status).toBe(409);
      expect((await rest.request.delete('/fhir/Patient/gone')).status).toBe(200);
      expect((await send(rest.request, 'post', '/fhir/Patient', patient(value))).status).toBe(201);
    } finally {
      await rest.close();
    }
  });

  it('leaves Patients without an INS system alone, as the R4 examples are', async () => {
    const mrn = { resourceType: 'Patient', identifier: [{ system: 'http://example.org/mrn', value: '12345' }] };
    expect((await send(reception, 'post', '/fhir/Patient', mrn)).status).toBe(201);
    expect((await send(reception, 'post', '/fhir/Patient', mrn)).status).toBe(201);
  });
});
