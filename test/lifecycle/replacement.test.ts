import type { AuditEvent, DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import * as fhir from '../access/resources.js';
import {
  CLAIRE,
  DELEGATE,
  GP,
  HOSPITAL,
  HOSPITAL_DOCTOR,
  NURSE,
  RECEPTION,
  RPPS,
  a05,
  claireWorld,
  document,
  ids,
  loinc,
  ok,
  outcome,
  postAs,
  putAs,
  read,
} from './world.js';

const replacing = (target: string, options: Partial<fhir.DocOptions> = {}): DocumentReference => {
  const { id: _id, ...doc } = document('unused', { type: loinc('11488-4'), description: 'compte rendu corrigé', ...options });
  return { ...doc, relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${target}` } }] };
};

async function statusOf(t: TestApp, id: string): Promise<{ status?: string; versionId?: string }> {
  const row = await t.store.read('DocumentReference', id);
  return { status: (row?.resource as DocumentReference | undefined)?.status, versionId: row?.resource?.meta?.versionId };
}

const documentCount = (t: TestApp) => t.store.count('DocumentReference', {});

describe.each(STORE_KINDS)('document replacement on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
  });
  afterEach(() => t.close());

  it('R8.3 a new version replacing a document makes it superseded in the same request, traced by one AuditEvent', async () => {
    const before = await t.store.count('AuditEvent', {});
    const res = await postAs(await t.as(GP), replacing('report'));
    expect(res.status).toBe(201);
    const newId = (res.body as DocumentReference).id!;
    expect(await statusOf(t, 'report')).toEqual({ status: 'superseded', versionId: '2' });
    expect(await t.store.count('AuditEvent', {})).toBe(before + 1);
    const [event] = (await t.store.find('AuditEvent', { filter: {}, sort: [['lastUpdated', -1]], limit: 1 })).map((r) => r.resource as AuditEvent);
    const references = (event!.entity ?? []).map((e) => e.what?.reference);
    expect(references).toEqual(expect.arrayContaining([`DocumentReference/${newId}/_history/1`, 'DocumentReference/report/_history/2']));
  });

  it('R8.3 a replacement created with PUT under a client id supersedes the replaced document too', async () => {
    const res = await putAs(await t.as(GP), { ...replacing('report'), id: 'report-v2' });
    expect(res.status).toBe(201);
    expect(await statusOf(t, 'report')).toEqual({ status: 'superseded', versionId: '2' });
    // A later update of the replacement does not replace again.
    expect((await putAs(await t.as(GP), { ...(res.body as DocumentReference), description: 'relu' })).status).toBe(200);
    expect(await statusOf(t, 'report')).toEqual({ status: 'superseded', versionId: '2' });
  });

  it('R8.3 R7.3 the superseded document leaves default searches, stays readable by id and is found with status=superseded', async () => {
    const newId = ((await postAs(await t.as(GP), replacing('report'))).body as DocumentReference).id!;
    for (const who of [GP, CLAIRE]) {
      expect(ids(await read(t, who, '/fhir/DocumentReference?patient=claire'))).toEqual([newId]);
      expect(ids(await read(t, who, '/fhir/DocumentReference?patient=claire&status=superseded'))).toEqual(['report']);
      expect((await read<DocumentReference>(t, who, '/fhir/DocumentReference/report')).status).toBe('superseded');
    }
  });

  it('R8.3 a professional who is not the author may not replace a document: 403, and nothing is written', async () => {
    const count = await documentCount(t);
    const res = await postAs(await t.as(NURSE), replacing('report'));
    expect(outcome(res)).toBe('403 NOT_THE_AUTHOR');
    expect(await statusOf(t, 'report')).toEqual({ status: 'current', versionId: '1' });
    expect(await documentCount(t)).toBe(count);
  });

  it("R8.3 a professional of the author's structure replaces the document", async () => {
    const hospitalNurse = { role: 'professional', rpps: '10001000065', profession: '60', organization: HOSPITAL };
    const authored = document('hospital-report', { type: loinc('34112-3') });
    authored.author = [
      { identifier: { system: fhir.RPPS_SYSTEM, value: RPPS.hospitalDoctor } },
      { identifier: { system: fhir.FINESS_SYSTEM, value: HOSPITAL } },
    ];
    await ok(await putAs(await t.as(HOSPITAL_DOCTOR), authored), 'the hospital doctor deposits');
    expect((await postAs(await t.as(hospitalNurse), replacing('hospital-report', { type: loinc('34112-3') }))).status).toBe(201);
    expect((await statusOf(t, 'hospital-report')).status).toBe('superseded');
  });

  it('R8.3 R8.1 a delegate replaces a document in the name of its author', async () => {
    const res = await postAs(await t.as(DELEGATE), replacing('report', { authorRpps: RPPS.gp }));
    expect(res.status).toBe(201);
    expect((await statusOf(t, 'report')).status).toBe('superseded');
    // what the rules add to a delegate's deposit (the delegate tag) is not written into the replaced document
    const replaced = (await t.store.read('DocumentReference', 'report'))!.resource as DocumentReference;
    expect(replaced.meta?.tag).toBeUndefined();
  });

  it("R8.3 a document of another holder cannot be replaced: 422, and nothing is written", async () => {
    await ok(await putAs(await t.as(RECEPTION), { ...fhir.patient('Dupont', 'Jean', fhir.ins('1480769123045'), '1948-07-01'), id: 'jean' }), 'register jean');
    await ok(await putAs(await t.as(RECEPTION), { ...fhir.dmpCreation('jean', 'Patient/jean'), id: 'jean-dmp' }), 'open his DMP');
    const jean = await t.as({ role: 'patient', fhirUser: 'Patient/jean' });
    await ok(await putAs(jean, { ...fhir.accessChoices('jean', { gp: [RPPS.gp] }), id: 'jean-choices' }), 'his choices');
    await ok(await putAs(await t.as(GP), { ...fhir.documentReference('jean', { type: loinc('11488-4') }), id: 'jean-report' }), 'a report for jean');
    const count = await documentCount(t);
    expect(outcome(await postAs(await t.as(GP), replacing('jean-report')))).toBe('422 REPLACED_NOT_FOUND');
    expect(outcome(await postAs(await t.as(GP), replacing('no-such-document')))).toBe('422 REPLACED_NOT_FOUND');
    expect((await statusOf(t, 'jean-report')).status).toBe('current');
    expect(await documentCount(t)).toBe(count);
  });

  it('R8.3 a document already superseded cannot be replaced again: 422 DOCUMENT_NOT_CURRENT, nothing written', async () => {
    expect((await postAs(await t.as(GP), replacing('report'))).status).toBe(201);
    const count = await documentCount(t);
    expect(outcome(await postAs(await t.as(GP), replacing('report')))).toBe('422 DOCUMENT_NOT_CURRENT');
    expect(await documentCount(t)).toBe(count);
    expect(await statusOf(t, 'report')).toEqual({ status: 'superseded', versionId: '2' });
  });

  it('R8.3 two concurrent replacements of one document: exactly one succeeds', async () => {
    const gp = await t.as(GP);
    const answers = await Promise.all([postAs(gp, replacing('report')), postAs(gp, replacing('report'))]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses[0]).toBe(201);
    expect([409, 422]).toContain(statuses[1]);
    const replacements = await t.store.find('DocumentReference', { filter: { 'sec.replaces': 'report' } });
    expect(replacements).toHaveLength(1);
  });

  it("R8.3 R7.2 the holder replaces a document of their personal space", async () => {
    const claire = await t.as(CLAIRE);
    await ok(await putAs(claire, document('my-note', { type: a05('DOCPAT01') })), 'her note');
    const res = await postAs(claire, replacing('my-note', { type: a05('DOCPAT01') }));
    expect(res.status).toBe(201);
    expect((await statusOf(t, 'my-note')).status).toBe('superseded');
  });

  it("R8.3 D16 the holder cannot replace a professional's document: 403, nothing written", async () => {
    const count = await documentCount(t);
    const res = await postAs(await t.as(CLAIRE), replacing('report', { type: a05('DOCPAT01') }));
    expect(outcome(res)).toBe('403 LABELS_AND_ARCHIVE_ONLY');
    expect((await statusOf(t, 'report')).status).toBe('current');
    expect(await documentCount(t)).toBe(count);
  });

  it('R8.3 D11 in a transaction Bundle the supersede commits with every entry, or not at all', async () => {
    const gp = await t.as(GP);
    const transaction = (extra: object[]) => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b7c1c8e-4a43-4c53-9c1e-2f7a7c3d9a01', resource: replacing('report'), request: { method: 'POST', url: 'DocumentReference' } },
        ...extra,
      ],
    });
    const refused = { resource: { ...replacing('report'), subject: { reference: 'Patient/nobody' } }, request: { method: 'POST', url: 'DocumentReference' } };
    const failed = await gp.post('/fhir').set('content-type', 'application/fhir+json').send(JSON.stringify(transaction([refused])));
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(await statusOf(t, 'report')).toEqual({ status: 'current', versionId: '1' });
    const done = await gp.post('/fhir').set('content-type', 'application/fhir+json').send(JSON.stringify(transaction([])));
    expect(done.status, done.text).toBe(200);
    expect(await statusOf(t, 'report')).toEqual({ status: 'superseded', versionId: '2' });
  });

  it('R8.3 a replaces relation that names no DocumentReference is 422', async () => {
    const doc = replacing('report');
    doc.relatesTo = [{ code: 'replaces', target: { identifier: { value: 'urn:oid:1.2.3' } } }];
    expect(outcome(await postAs(await t.as(GP), doc))).toBe('422 REPLACED_NOT_FOUND');
  });
});
