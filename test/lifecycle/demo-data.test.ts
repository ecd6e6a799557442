import type { AuditEvent, Bundle, Communication, DocumentReference, Parameters } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDENTITIES, demoIdentity } from '../../src/lifecycle/demo-identities.js';
import { seedDemoData } from '../../src/lifecycle/seed.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { ids } from './world.js';

/**
 * D5: the demo set, loaded as `npm run seed` loads it, gives each demo identity exactly what the
 * rules say, through the HTTP API: the seeded facts never make a query return what it should not.
 * Names are the demo ids without their `demo-claire-` prefix.
 */

const CLAIRE_ALL = [
  'vsm', 'consultation', 'hospital-letter', 'psychiatry', 'lab-2025-corrected', 'lab-unreleased', 'imaging',
  'prescription', 'dispensation', 'vaccination-note', 'personal', 'directives', 'reimbursement',
];
const but = (...hidden: string[]) => CLAIRE_ALL.filter((d) => !hidden.includes(d));
const claire = (names: string[]) => names.map((n) => `demo-claire-${n}`).sort();

interface Case {
  rules: string;
  who: string;
  url: string;
  /** Ids found, or the refusal as `status CODE`. */
  expected: string[] | string;
}

const CLAIRE_DOCS = '/fhir/DocumentReference?patient=demo-claire&_count=100';
const NURSE_FAMILIES = ['vsm', 'consultation', 'lab-2025-corrected', 'lab-unreleased', 'prescription', 'dispensation', 'vaccination-note', 'directives'];

const CASES: Case[] = [
  { rules: 'R3.3 R5.1 the DMP GP sees every family, masked documents included', who: 'gp', url: CLAIRE_DOCS, expected: claire(CLAIRE_ALL) },
  { rules: 'R7.1 R5.3 the holder sees all but the result not yet released', who: 'claire', url: CLAIRE_DOCS, expected: claire(but('lab-unreleased')) },
  { rules: 'R4.2 R5.1 the nurse: her families, nothing masked', who: 'nurse', url: CLAIRE_DOCS, expected: claire(NURSE_FAMILIES) },
  { rules: 'R4.2 the nurse, searching every holder', who: 'nurse', url: '/fhir/DocumentReference?_count=100', expected: claire(NURSE_FAMILIES) },
  { rules: 'R4.3 the pédicure-podologue: summary, prevention, wishes; never the psychiatric report', who: 'podiatrist', url: CLAIRE_DOCS, expected: claire(['vsm', 'vaccination-note', 'directives']) },
  {
    rules: 'R4.2 the pharmacist: treatments, lab, reimbursement…',
    who: 'pharmacist',
    url: CLAIRE_DOCS,
    expected: claire(['vsm', 'lab-2025-corrected', 'lab-unreleased', 'prescription', 'dispensation', 'vaccination-note', 'directives', 'reimbursement']),
  },
  { rules: 'R3.1 R5.1 the psychiatrist does not see the masked letter', who: 'psychiatrist', url: CLAIRE_DOCS, expected: claire(but('hospital-letter')) },
  { rules: 'R3.2 R5.1 the hospital physician sees the masked letter he wrote', who: 'emergency', url: CLAIRE_DOCS, expected: claire(CLAIRE_ALL) },
  { rules: 'R6.2 R5.1 the regulator reaches Claire, bound by masking', who: 'regulator', url: CLAIRE_DOCS, expected: claire(but('hospital-letter')) },
  { rules: 'R3.4 the blocked physician sees nothing of Claire', who: 'blocked', url: CLAIRE_DOCS, expected: [] },
  { rules: 'R3.5 break-glass on Jean, who opposed it', who: 'emergency-break-glass', url: '/fhir/DocumentReference?patient=demo-jean', expected: '403 EMERGENCY_ACCESS_OPPOSED' },
  { rules: 'R3.5 the regulator on Jean, who opposed emergency access', who: 'regulator', url: '/fhir/DocumentReference?patient=demo-jean', expected: '403 EMERGENCY_ACCESS_OPPOSED' },
  { rules: 'R3.3 Jean’s DMP GP', who: 'gp', url: '/fhir/DocumentReference?patient=demo-jean', expected: ['demo-jean-consultation', 'demo-jean-reimbursement'] },
  { rules: 'R5.4 R7.5 Lucas’s mother does not see what he keeps from his parents', who: 'lucas-mother', url: '/fhir/DocumentReference?patient=demo-lucas', expected: ['demo-lucas-consultation'] },
  { rules: 'R5.4 Lucas’s GP sees it', who: 'gp', url: '/fhir/DocumentReference?patient=demo-lucas', expected: ['demo-lucas-confidential', 'demo-lucas-consultation'] },
  { rules: 'R3.7 the hospital physician has no access to Lucas', who: 'emergency', url: '/fhir/DocumentReference?patient=demo-lucas', expected: [] },
  { rules: 'R6.1 … but reaches him by break-glass', who: 'emergency-break-glass', url: '/fhir/DocumentReference?patient=demo-lucas', expected: ['demo-lucas-confidential', 'demo-lucas-consultation'] },
  { rules: 'R9.2 Marc’s DMP is closed to professionals', who: 'gp', url: '/fhir/DocumentReference?patient=demo-marc', expected: '409 DMP_CLOSED' },
  { rules: 'R9.2 Marc still reads his closed DMP', who: 'marc', url: '/fhir/DocumentReference?patient=demo-marc', expected: ['demo-marc-report'] },
  { rules: 'R2.1 Sophie has no DMP', who: 'gp', url: '/fhir/DocumentReference?patient=demo-sophie', expected: '409 NO_OPEN_DMP' },
  { rules: 'R8.2 a delegate never reads', who: 'delegate', url: CLAIRE_DOCS, expected: '403 ROLE_NOT_ALLOWED' },
  { rules: 'R8.7 reception reads no clinical data', who: 'reception', url: CLAIRE_DOCS, expected: '403 ROLE_NOT_ALLOWED' },
  { rules: 'R8.5 the insurer feed reads nothing', who: 'insurer-feed', url: CLAIRE_DOCS, expected: '403 ROLE_NOT_ALLOWED' },
  { rules: 'R7.3 the archived synthesis, found when asked for', who: 'claire', url: '/fhir/DocumentReference?patient=demo-claire&isArchived=true', expected: ['demo-claire-old-synthesis'] },
  { rules: 'R8.3 the replaced result, found when asked for', who: 'gp', url: '/fhir/DocumentReference?patient=demo-claire&status=superseded', expected: ['demo-claire-lab-2025'] },
  { rules: 'R4.2 the podiatrist reads allergies', who: 'podiatrist', url: '/fhir/AllergyIntolerance?patient=demo-claire', expected: ['demo-claire-allergy'] },
  { rules: 'R4.2 the podiatrist reads vaccinations', who: 'podiatrist', url: '/fhir/Immunization?patient=demo-claire', expected: ['demo-claire-immunization'] },
  { rules: 'D20 R2.1 the insurer agent checks whether a DMP is open', who: 'insurer-agent', url: '/fhir/Consent?patient=demo-claire&status=active', expected: ['demo-claire-dmp'] },
  { rules: 'D20 R2.1 … and that Sophie has none', who: 'insurer-agent', url: '/fhir/Consent?patient=demo-sophie', expected: [] },
];

describe('the demo data (D5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedDemoData({ store: t.store, config: t.config, clock: () => new Date() });
  });
  afterAll(() => t.close());

  it.each(CASES)('D5 $rules ($who)', async ({ who, url, expected }) => {
    const res = await (await t.as(demoIdentity(who).claims)).get(url);
    if (typeof expected === 'string') {
      expect(`${res.status} ${errorCode(res.body)}`).toBe(expected);
    } else {
      expect(res.status, res.text).toBe(200);
      expect(ids(res.body as Bundle)).toEqual([...expected].sort());
      expect((res.body as Bundle).total).toBe(expected.length);
    }
  });

  it('D15 D5 a document’s content is read exactly when the document is', async () => {
    expect((await (await t.as(demoIdentity('podiatrist').claims)).get('/fhir/Binary/demo-bin-claire-vsm')).status).toBe(200);
    expect((await (await t.as(demoIdentity('podiatrist').claims)).get('/fhir/Binary/demo-bin-claire-consultation')).status).toBe(404);
  });

  it('D17 D5 the reimbursement history is authored by the insurer Organization', async () => {
    const doc = (await (await t.as(demoIdentity('claire').claims)).get('/fhir/DocumentReference/demo-claire-reimbursement')).body as DocumentReference;
    expect(doc.author?.[0]?.reference).toMatch(/^Organization\/assurance-maladie-/);
    expect(doc.author?.[0]?.identifier?.value).toBe(t.config.insurer.finess);
  });

  it('R8.1 D5 the delegate’s deposit records the GP as author and the delegate', async () => {
    const doc = (await (await t.as(demoIdentity('gp').claims)).get('/fhir/DocumentReference/demo-claire-prescription')).body as DocumentReference;
    expect(doc.author?.map((a) => a.identifier?.value)).toEqual(['10001000016']);
    expect(doc.meta?.tag?.map((tag) => tag.code)).toContain('delegate');
  });

  it('R10.1 R10.2 D5 Claire reads the traces and notifications of her DMP, and only hers', async () => {
    const agent = await t.as(demoIdentity('claire').claims);
    const events = ((await agent.get('/fhir/AuditEvent?patient=Patient/demo-claire&_count=200')).body as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
    expect(events.length).toBeGreaterThan(10);
    const everything = ((await agent.get('/fhir/AuditEvent?_count=500')).body as Bundle).total;
    expect(everything).toBe(events.length + 1); // and the trace of her first search
    const notes = ((await agent.get('/fhir/Communication?_count=100')).body as Bundle).entry?.map((e) => e.resource as Communication) ?? [];
    expect(notes.map((n) => n.category?.[0]?.coding?.[0]?.code)).toEqual(expect.arrayContaining(['dmp-opened', 'first-access']));
    expect(notes.every((n) => n.subject?.reference === 'Patient/demo-claire')).toBe(true);
  });

  it('D28 D5 $access answers for the hospital letter as the reads do: its author sees it through his structure', async () => {
    const res = await (await t.as(demoIdentity('claire').claims)).get('/fhir/DocumentReference/demo-claire-hospital-letter/$access');
    expect(res.status, res.text).toBe(200);
    const parties = ((res.body as Parameters).parameter ?? []).filter((p) => p.name === 'party');
    const verdict = (rpps: string) => {
      const party = parties.find((p) => p.part?.find((x) => x.name === 'who')?.valueReference?.identifier?.value === rpps);
      return party && { canSee: party.part?.find((x) => x.name === 'canSee')?.valueBoolean, rule: party.part?.find((x) => x.name === 'rule')?.valueString };
    };
    // the same answers as the searches above: Dr Mercier (R3.2, the hospital), not the psychiatrist (R5.1)
    expect(verdict('10001000065')).toEqual({ canSee: true, rule: 'R3.2' });
    expect(verdict('10001000057')).toEqual({ canSee: false, rule: 'R5.1' });
  });

  it('D5 loading the demo data again changes nothing', async () => {
    const before = await t.store.count('AuditEvent', {});
    const report = await seedDemoData({ store: t.store, config: t.config, clock: () => new Date() });
    expect(report.written).toEqual([]);
    expect(report.kept.length).toBeGreaterThan(40);
    expect(await t.store.count('AuditEvent', {})).toBe(before);
  });

  it('D5 every demo identity signs in', async () => {
    for (const identity of DEMO_IDENTITIES) {
      const res = await (await t.as(identity.claims)).get('/fhir/Practitioner?_count=1');
      expect([200, 403], `${identity.key}: ${res.status}`).toContain(res.status);
    }
  });
});
