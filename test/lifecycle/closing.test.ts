import type { Consent, DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TokenOptions } from '../../src/access/dev-token.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import * as fhir from '../access/resources.js';
import {
  ADMIN,
  BLOCKED,
  CLAIRE,
  FEED,
  GP,
  HOSPITAL_DOCTOR,
  INSURER_AGENT,
  NURSE,
  RECEPTION,
  STRANGER,
  a05,
  claireWorld,
  closing,
  document,
  ids,
  loinc,
  openConsent,
  outcome,
  postAs,
  putAs,
  read,
} from './world.js';

const tomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe.each(STORE_KINDS)('closing and reopening a DMP on the %s store', (kind) => {
  let t: TestApp;
  const close = async (who: TokenOptions, consent: Consent = closing('holder-request')) => putAs(await t.as(who), consent);
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
  });
  afterEach(() => t.close());

  it('R9.1 the holder closes her DMP: the dmp-creation Consent becomes inactive with its date and reason', async () => {
    const res = await close(CLAIRE);
    expect(res.status).toBe(200);
    const stored = res.body as Consent;
    expect(stored.status).toBe('inactive');
    expect(stored.extension).toEqual([{ url: fhir.CLOSURE_REASON, valueCode: 'holder-request' }]);
    expect(stored.provision?.period?.end).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    ['reception', RECEPTION],
    ['an insurer agent', INSURER_AGENT],
    ['a professional without access to her DMP', STRANGER],
  ])("R9.1 R2.2 %s closes the DMP at the holder's request", async (_who, caller) => {
    expect((await close(caller)).status).toBe(200);
  });

  it('R9.1 R3.4 a professional she blocked cannot close it', async () => {
    expect(outcome(await close(BLOCKED))).toBe('403 BLOCKED_BY_PATIENT');
  });

  it.each([
    ['the insurer feed', FEED, '403 ROLE_NOT_ALLOWED'],
    ['the administrator', ADMIN, '403 ROLE_NOT_ALLOWED'],
  ])('R9.1 %s cannot close a DMP', async (_who, caller, expected) => {
    expect(outcome(await close(caller))).toBe(expected);
  });

  it.each([
    ['her DMP GP', GP],
    ['a physician of an authorised care structure', HOSPITAL_DOCTOR],
    ['an authorised nurse', NURSE],
  ])("R9.1 on the holder's death, %s (a professional with access) closes the DMP", async (_who, caller) => {
    expect((await close(caller, closing('death'))).status).toBe(200);
  });

  it.each([
    ['a professional without access', STRANGER],
    ['reception', RECEPTION],
    ['the holder', CLAIRE],
  ])("R9.1 a closure for death by %s is refused", async (_who, caller) => {
    expect(outcome(await close(caller, closing('death')))).toBe('403 DEATH_CLOSURE_BY_PROFESSIONAL');
    expect(((await t.store.read('Consent', 'claire-dmp'))!.resource as Consent).status).toBe('active');
  });

  it.each([
    ['without a reason', closing(undefined), '422 CLOSURE_REASON_REQUIRED'],
    ['with an unknown reason', closing('moved-abroad'), '422 CLOSURE_REASON_REQUIRED'],
    ['without a closure date', closing('holder-request', ''), '422 CLOSURE_DATE_REQUIRED'],
    ['with a closure date after today', closing('holder-request', tomorrow()), '422 CLOSURE_DATE_IN_FUTURE'],
    ['by another status than inactive', { ...openConsent(), status: 'rejected' } as Consent, '422 CLOSE_AS_INACTIVE'],
  ])('R9.1 a closure %s is 422', async (_what, consent, expected) => {
    expect(outcome(await close(CLAIRE, consent))).toBe(expected);
  });

  it('R9.1 the dmp-creation Consent is never deleted', async () => {
    expect(outcome(await (await t.as(CLAIRE)).delete('/fhir/Consent/claire-dmp'))).toBe('403 DMP_CONSENT_KEPT');
  });

  it('R9.2 a closed DMP gives professionals nothing: reads, searches and writes are 409', async () => {
    await close(CLAIRE);
    for (const who of [GP, NURSE]) {
      const agent = await t.as(who);
      expect(outcome(await agent.get('/fhir/DocumentReference/report'))).toBe('409 DMP_CLOSED');
      expect(outcome(await agent.get('/fhir/DocumentReference?patient=claire'))).toBe('409 DMP_CLOSED');
    }
    const { id: _id, ...report } = document('x', { type: loinc('11488-4') });
    expect(outcome(await postAs(await t.as(GP), report as DocumentReference))).toBe('409 DMP_CLOSED');
    const { id: _id2, ...remb } = document('y', { type: a05('REMB'), classCode: '60' });
    expect(outcome(await postAs(await t.as(FEED), remb as DocumentReference))).toBe('409 DMP_CLOSED');
  });

  it('R9.2 the holder still reads her closed DMP, but writes nothing in it', async () => {
    await close(CLAIRE);
    expect(ids(await read(t, CLAIRE, '/fhir/DocumentReference?patient=claire'))).toEqual(['report']);
    expect((await read<DocumentReference>(t, CLAIRE, '/fhir/DocumentReference/report')).id).toBe('report');
    expect(outcome(await putAs(await t.as(CLAIRE), document('my-note', { type: a05('DOCPAT01') })))).toBe('409 DMP_CLOSED');
  });

  it('R9.2 a closed consent is not reactivated: reopening is a new consent', async () => {
    await close(CLAIRE);
    expect(outcome(await putAs(await t.as(CLAIRE), openConsent()))).toBe('422 REOPEN_WITH_NEW_CONSENT');
  });

  it('R9.2 R2.1 the holder reopens her DMP with a new active dmp-creation Consent, and her professionals reach it again', async () => {
    await close(CLAIRE);
    const reopened = { ...fhir.dmpCreation('claire', 'Patient/claire') };
    expect((await postAs(await t.as(CLAIRE), reopened)).status).toBe(201);
    expect((await read<DocumentReference>(t, GP, '/fhir/DocumentReference/report')).id).toBe('report');
    const open = await read<{ total?: number }>(t, RECEPTION, '/fhir/Consent?patient=claire&status=active');
    expect(open.total).toBe(1);
  });
});
