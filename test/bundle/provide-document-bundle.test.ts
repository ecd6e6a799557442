import type { AuditEvent, Binary, Bundle, DocumentReference, List } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessChoices, dmpCreation, doc } from '../../src/access/test-fixture.js';
import { MHD_LIST_TYPES } from '../../src/bundle/mhd.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { GP, NURSE, RECEPTION, STRANGER, aliceWorld, auditEvents, putJson } from '../audit/dmp-world.js';
import { ACTIVE_ALLERGY, bundleOf, locationOf, postEntry, sendBundle, storeCounts, urn } from './bundle-helpers.js';

const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
const DELEGATE = { role: 'delegate', rpps: GP.rpps, profession: '10', specialty: 'SM54' } as const;

/** A document of Alice's without id or author: the server sets the author (R8.1). */
function document(binaryUrl: string, subject = 'alice'): DocumentReference {
  const { id: _id, author: _author, ...rest } = doc('x', subject);
  return { ...rest, content: [{ attachment: { contentType: 'application/pdf', url: binaryUrl } }] };
}

const binary = (documentUrl: string): Binary => ({ resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERi0xLjQK', securityContext: { reference: documentUrl } });

function submissionSet(items: string[], subject: string | undefined = 'Patient/alice'): List {
  return {
    resourceType: 'List',
    status: 'current',
    mode: 'working',
    code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset' }] },
    ...(subject ? { subject: { reference: subject } } : {}),
    date: '2025-03-15T10:00:00Z',
    entry: items.map((reference) => ({ item: { reference } })),
  };
}

/** An ITI-65 Provide Document Bundle: the SubmissionSet, `documents` documents and their content. */
function provideBundle(documents = 1, listed?: (docs: string[]) => string[], subject?: string): Bundle {
  const docs = Array.from({ length: documents }, () => [urn(), urn()] as const);
  return bundleOf('transaction', [
    postEntry(urn(), submissionSet(listed ? listed(docs.map(([d]) => d)) : docs.map(([d]) => d), subject)),
    ...docs.flatMap(([d, b]) => [postEntry(d, document(b)), postEntry(b, binary(d))]),
  ]);
}

/** Bob, a second holder whose DMP is open and who authorised Alice's GP. */
async function bobWorld(t: TestApp): Promise<void> {
  const first13 = '1750175123456';
  const ins = first13 + String(97n - (BigInt(first13) % 97n)).padStart(2, '0');
  const bob = { resourceType: 'Patient', id: 'bob', identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: ins }], name: [{ family: 'Bernard', given: ['Bob'] }], birthDate: '1975-01-01' };
  const reception = await t.as(RECEPTION);
  for (const [url, body] of [['Patient/bob', bob], ['Consent/open-bob', dmpCreation('open-bob', 'bob', 'active')]] as const) {
    const res = await putJson(reception, `/fhir/${url}`, body);
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${res.text}`);
  }
  const choices = await putJson(await t.as({ role: 'patient', fhirUser: 'Patient/bob' }), '/fhir/Consent/access-bob', accessChoices('access-bob', 'bob', { permit: [GP.rpps] }));
  if (choices.status >= 300) throw new Error(`bob's choices: ${choices.status} ${choices.text}`);
}

describe.each(STORE_KINDS)('IHE MHD ITI-65 Provide Document Bundle on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await aliceWorld(t);
  });
  afterEach(() => t.close());

  it('stores the documents of a professional with access, authored by them and readable afterwards', async () => {
    const gp = await t.as(GP);
    const res = await sendBundle(gp, provideBundle(2));
    expect(res.status, res.text).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [list, doc1, bin1, doc2] = res.body.entry.map(locationOf);
    for (const reference of [doc1, doc2]) {
      const read = await gp.get(`/fhir/${reference}`);
      expect(read.status).toBe(200);
      expect(read.body.author).toContainEqual(expect.objectContaining({ identifier: { system: RPPS_SYSTEM, value: GP.rpps } }));
      // the nurse Alice authorised reads them too
      expect((await (await t.as(NURSE)).get(`/fhir/${reference}`)).status).toBe(200);
    }
    const content = await gp.get(`/fhir/${bin1}`);
    expect(content.status).toBe(200);
    expect(content.body.securityContext.reference).toBe(doc1);
    expect((await gp.get(`/fhir/${list}`)).body.entry.map((e: { item: { reference: string } }) => e.item.reference)).toEqual([doc1, doc2]);
    expect((await gp.get('/fhir/DocumentReference?patient=alice')).body.total).toBe(3);

    const event = (await auditEvents(t)).find((e) => e.subtype?.[0]?.code === 'transaction')!;
    expect(event.subtype?.map((c) => c.code)).toEqual(['transaction', 'ITI-65']);
    expect(event.outcome).toBe('0');
    const listed = (event.entity ?? []).map((e) => e.what?.reference);
    for (const entry of res.body.entry) expect(listed).toContain(entry.response.location);
    expect(listed).toContain('Patient/alice');
  });

  it('refuses a SubmissionSet that does not list every document, lists one the Bundle lacks, or is about another patient (422), storing nothing', async () => {
    const gp = await t.as(GP);
    const before = await storeCounts(t.store);
    const unlisted = await sendBundle(gp, provideBundle(2, (docs) => [docs[0]!]));
    expect(unlisted.status).toBe(422);
    expect(errorCode(unlisted.body)).toBe('MHD_DOCUMENT_NOT_LISTED');
    const missing = await sendBundle(gp, provideBundle(1, (docs) => [...docs, 'DocumentReference/report-1']));
    expect(missing.status).toBe(422);
    expect(errorCode(missing.body)).toBe('MHD_LISTED_ENTRY_MISSING');
    await bobWorld(t);
    const middle = await storeCounts(t.store);
    const otherPatient = await sendBundle(gp, provideBundle(1, undefined, 'Patient/bob'));
    expect(otherPatient.status).toBe(422);
    expect(errorCode(otherPatient.body)).toBe('MHD_SUBJECT_MISMATCH');
    expect(await storeCounts(t.store)).toEqual(middle);
    expect(middle.DocumentReference).toEqual(before.DocumentReference);
    const events = (await auditEvents(t)).filter((e: AuditEvent) => e.subtype?.[0]?.code === 'transaction');
    expect(events.map((e: AuditEvent) => [e.outcome, e.subtype?.[1]?.code])).toEqual([['4', 'ITI-65'], ['4', 'ITI-65'], ['4', 'ITI-65']]);
  });

  it('leaves the store unchanged when one entry is invalid, with that entry status and outcome', async () => {
    const gp = await t.as(GP);
    const bundle = provideBundle(2);
    (bundle.entry![3]!.resource as DocumentReference).status = 'bogus' as never;
    const before = await storeCounts(t.store);
    const res = await sendBundle(gp, bundle);
    expect(res.status).toBe(400);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].diagnostics).toMatch(/^Bundle\.entry\[3\] \(POST DocumentReference\)/);
    expect(await storeCounts(t.store)).toEqual(before);
  });

  it('leaves the store unchanged when the access rules refuse one entry', async () => {
    const before = await storeCounts(t.store);
    const stranger = await sendBundle(await t.as(STRANGER), provideBundle(1));
    expect(stranger.status).toBe(403);
    expect(errorCode(stranger.body)).toBe('NO_ACCESS_TO_PATIENT');
    // the first entry processed is the SubmissionSet: its refusal is the transaction's answer
    expect(stranger.body.issue[0].diagnostics).toMatch(/^Bundle\.entry\[0\] \(POST List\)/);
    // reception may register a patient but never write clinical data (R8.7)
    const reception = await sendBundle(await t.as(RECEPTION), bundleOf('transaction', [
      { resource: { resourceType: 'Patient', id: 'alice', identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: '280017512345678' }], name: [{ family: 'Martin-Durand', given: ['Alice'] }], birthDate: '1980-01-01' }, request: { method: 'PUT', url: 'Patient/alice' } },
      postEntry(urn(), { resourceType: 'AllergyIntolerance', clinicalStatus: ACTIVE_ALLERGY, patient: { reference: 'Patient/alice' } } as never),
    ]));
    expect(reception.status).toBe(403);
    expect(errorCode(reception.body)).toBe('ROLE_NOT_ALLOWED');
    expect(reception.body.issue[0].diagnostics).toMatch(/^Bundle\.entry\[1\]/);
    expect(await storeCounts(t.store)).toEqual(before);
    expect((await t.store.read('Patient', 'alice'))!.versionId).toBe(1);
  });

  it('R8.2 answers a delegate deposit without any resource, even when asked for one', async () => {
    const res = await sendBundle(await t.as(DELEGATE), provideBundle(1), { prefer: 'return=representation' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.entry.every((e: { resource?: unknown; response: { status: string } }) => e.resource === undefined && e.response.status === '201 Created')).toBe(true);
  });
});
