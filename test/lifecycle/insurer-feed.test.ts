import type { Bundle, DocumentReference, Organization } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureInsurerOrganization } from '../../src/lifecycle/insurer.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import * as fhir from '../access/resources.js';
import { ADMIN, CLAIRE, FEED, GP, a05, claireWorld, document, outcome, postAs, putAs, read } from './world.js';

const FINESS = '750000093';
const reimbursement = (labels: fhir.Label[] = []) => {
  const { id: _id, ...doc } = document('unused', { type: a05('REMB'), classCode: '60', labels, description: 'Historique des remboursements' });
  return doc as DocumentReference;
};

describe.each(STORE_KINDS)('the reimbursement history on the %s store', (kind) => {
  let t: TestApp;
  const boot = () => ensureInsurerOrganization({ store: t.store, config: t.config, clock: () => new Date() });
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
  });
  afterEach(() => t.close());

  it('D17 the insurer Organization is created at boot, once, with its FINESS', async () => {
    const reference = await boot();
    expect(await boot()).toBe(reference);
    const found = await read<Bundle>(t, ADMIN, `/fhir/Organization?identifier=${encodeURIComponent(`${fhir.FINESS_SYSTEM}|${FINESS}`)}`);
    expect(found.total).toBe(1);
    const organization = found.entry![0]!.resource as Organization;
    expect(`Organization/${organization.id}`).toBe(reference);
    expect(organization.name).toBe('Assurance Maladie');
  });

  it('D17 R8.5 the server names the Assurance Maladie Organization as author of what the insurer feed deposits', async () => {
    const reference = await boot();
    const res = await postAs(await t.as(FEED), reimbursement());
    expect(res.status).toBe(201);
    expect((res.body as DocumentReference).author).toEqual([
      { reference, identifier: { system: fhir.FINESS_SYSTEM, value: FINESS }, display: 'Assurance Maladie' },
    ]);
    const stored = await read<DocumentReference>(t, CLAIRE, `/fhir/DocumentReference/${(res.body as DocumentReference).id}`);
    expect(stored.author?.[0]?.reference).toBe(reference);
  });

  it('D17 a feed deposit naming someone else as author is refused', async () => {
    await boot();
    const doc = { ...reimbursement(), author: [{ identifier: { system: fhir.RPPS_SYSTEM, value: '10001000016' } }] };
    expect(outcome(await postAs(await t.as(FEED), doc))).toBe('403 AUTHOR_NOT_CALLER');
  });

  it('D17 a feed deposit already naming the insurer by FINESS is kept as sent', async () => {
    const doc = { ...reimbursement(), author: [{ identifier: { system: fhir.FINESS_SYSTEM, value: FINESS } }] };
    const res = await postAs(await t.as(FEED), doc);
    expect(res.status).toBe(201);
    expect((res.body as DocumentReference).author).toEqual(doc.author);
  });

  it('R8.6 the feed cannot deposit masked reimbursement data: 422', async () => {
    expect(outcome(await postAs(await t.as(FEED), reimbursement(['MASQUE_PS'])))).toBe('422 REIMBURSEMENT_NOT_MASKABLE');
  });

  it('R8.6 D16 the holder can never mask reimbursement data: 422', async () => {
    await boot();
    const created = (await postAs(await t.as(FEED), reimbursement())).body as DocumentReference;
    const masked = { ...created, securityLabel: [{ coding: [{ system: fhir.TRE_A07, code: 'MASQUE_PS' }] }] };
    expect(outcome(await putAs(await t.as(CLAIRE), masked))).toBe('422 REIMBURSEMENT_NOT_MASKABLE');
  });

  it('R8.6 class 60 alone makes a document reimbursement data, never maskable', async () => {
    const doc = document('x', { type: ['http://loinc.org', '11488-4'], classCode: '60', labels: ['MASQUE_PS'] });
    const { id: _id, ...body } = doc;
    expect(outcome(await postAs(await t.as(FEED), body as DocumentReference))).toBe('422 REIMBURSEMENT_NOT_MASKABLE');
  });

  it('R8.5 only the insurer feed writes reimbursement history', async () => {
    expect(outcome(await postAs(await t.as(GP), reimbursement()))).toBe('403 REIMBURSEMENT_BY_FEED_ONLY');
  });

  it('R8.5 the insurer feed writes nothing but reimbursement history, and reads nothing', async () => {
    const feed = await t.as(FEED);
    const report = { ...document('x', { type: ['http://loinc.org', '11488-4'] }) };
    const { id: _id, ...body } = report;
    expect(outcome(await postAs(feed, body as DocumentReference))).toBe('403 REIMBURSEMENT_ONLY');
    expect((await feed.get('/fhir/DocumentReference?patient=claire')).status).toBe(403);
  });
});
