import type { AuditEvent, Bundle, DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OUTBOX_TYPE } from '../../src/audit/outbox.js';
import { RESOURCE_TYPES } from '../../src/fhir/registry.js';
import { createRetentionJob, type RetentionJob } from '../../src/lifecycle/retention.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import * as fhir from '../access/resources.js';
import { ADMIN, CLAIRE, GP, NURSE, RECEPTION, RPPS, claireWorld, closing, document, loinc, ok, postAs, putAs, read } from './world.js';

const YEAR_MS = 365.25 * 86_400_000;
const later = (years: number, days = 0) => new Date(Date.now() + years * YEAR_MS + days * 86_400_000);

/** Jean: another holder, whose data must survive Claire's destruction. */
async function jeanWorld(t: TestApp): Promise<void> {
  await ok(await putAs(await t.as(RECEPTION), { ...fhir.patient('Dupont', 'Jean', fhir.ins('1480769123045'), '1948-07-01'), id: 'jean' }), 'register jean');
  await ok(await putAs(await t.as(RECEPTION), { ...fhir.dmpCreation('jean', 'Patient/jean'), id: 'jean-dmp' }), 'open his DMP');
  await ok(await putAs(await t.as({ role: 'patient', fhirUser: 'Patient/jean' }), { ...fhir.accessChoices('jean', { gp: [RPPS.gp] }), id: 'jean-choices' }), 'his choices');
  await ok(await putAs(await t.as(GP), { ...fhir.documentReference('jean', { type: loinc('11488-4') }), id: 'jean-report' }), 'his report');
}

/** Claire's DMP with a little of everything: a Binary, a deleted document, an allergy, a contact, notifications. */
async function claireEverything(t: TestApp): Promise<void> {
  const gp = await t.as(GP);
  const binary = (await postAs(gp, fhir.binary())).body as { id: string };
  await ok(await putAs(gp, document('with-content', { type: loinc('11502-2'), binaryId: binary.id })), 'a result with its content');
  await ok(await putAs(gp, document('to-delete', { type: loinc('18748-4') })), 'an imaging report');
  await ok(await gp.delete('/fhir/DocumentReference/to-delete'), 'deleted');
  await ok(await putAs(await t.as(NURSE), { ...fhir.allergy('claire'), id: 'claire-allergy' }), 'an allergy');
  const contact = {
    resourceType: 'RelatedPerson',
    id: 'claire-contact',
    patient: { reference: 'Patient/claire' },
    relationship: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', code: 'FRND' }] }],
    name: [{ family: 'Petit', given: ['Sophie'] }],
  };
  await ok(await putAs(await t.as(CLAIRE), contact as never), 'her emergency contact');
  // one trace naming both holders: it is Jean's too and stays
  await ok(await gp.get('/fhir/DocumentReference?patient=claire,jean'), 'a search over both');
}

async function holderRows(t: TestApp, holder: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const type of RESOURCE_TYPES) {
    const count = await t.store.count(type, { 'sec.patient': holder });
    if (count > 0) out[type] = count;
  }
  return out;
}

describe.each(STORE_KINDS)('retention of closed DMPs on the %s store', (kind) => {
  let t: TestApp;
  let job: RetentionJob;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
    await jeanWorld(t);
    await claireEverything(t);
    job = createRetentionJob({ store: t.store, clock: () => new Date(), baseUrl: t.config.baseUrl });
  });
  afterEach(async () => {
    await job.stop();
    await t.close();
  });

  it('R9.3 ten years after closure every resource and every version of the holder is destroyed; later reads are 404', async () => {
    await ok(await putAs(await t.as(CLAIRE), closing('holder-request')), 'she closes her DMP');
    const report = await job.tick(later(10, 2));
    expect(report.destroyed.map((d) => d.holder)).toEqual(['Patient/claire']);

    const left = await holderRows(t, 'Patient/claire');
    // only the trace of the destruction itself, and the trace shared with Jean
    expect(left).toEqual({ AuditEvent: 2 });
    for (const [type, id] of [['Patient', 'claire'], ['DocumentReference', 'report'], ['DocumentReference', 'to-delete'], ['Consent', 'claire-dmp'], ['RelatedPerson', 'claire-contact']]) {
      expect(await t.store.read(type!, id!), `${type}/${id}`).toBeUndefined();
      expect(await t.store.readVersion(type!, id!, 1), `${type}/${id} version 1`).toBeUndefined();
    }
    expect(await t.store.count('Binary', {})).toBe(0);
    expect(await t.store.count('Communication', { 'sec.patient': 'Patient/claire' })).toBe(0);
    expect(await t.store.find(OUTBOX_TYPE, { filter: {} })).toHaveLength((await t.store.count('Communication', {})));

    const claire = await t.as(CLAIRE);
    expect((await claire.get('/fhir/Patient/claire')).status).toBe(404);
    expect((await claire.get('/fhir/DocumentReference/report')).status).toBe(404);
    expect((await claire.get('/fhir/DocumentReference/report/_history/1')).status).toBe(404);
    expect((await (await t.as(ADMIN)).get('/fhir/Consent/claire-dmp')).status).toBe(404);
  });

  it('R9.3 one AuditEvent of the server records the destruction and names no clinical content', async () => {
    await putAs(await t.as(CLAIRE), closing('holder-request'));
    const [destruction] = (await job.tick(later(10, 2))).destroyed;
    const bundle = await read<Bundle>(t, ADMIN, '/fhir/AuditEvent?patient=Patient/claire&_count=50');
    const events = (bundle.entry ?? []).map((e) => e.resource as AuditEvent).filter((e) => e.outcomeDesc === 'R9.3');
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.id).toBe(destruction!.auditEventId);
    expect(event!.action).toBe('D');
    expect(event!.agent?.[0]?.who?.display).toBe('dmp-fhir-server');
    expect((event!.entity ?? []).map((e) => e.what?.reference)).toEqual(['Patient/claire']);
    expect(JSON.stringify(event)).not.toMatch(/DocumentReference|11488-4|Binary|AllergyIntolerance/);
  });

  it("R9.3 other holders' data stay, and so does a trace that also names them", async () => {
    await putAs(await t.as(CLAIRE), closing('holder-request'));
    await job.tick(later(10, 2));
    expect((await read<DocumentReference>(t, GP, '/fhir/DocumentReference/jean-report')).id).toBe('jean-report');
    const shared = await t.store.find('AuditEvent', { filter: { 'sec.patient': { $all: ['Patient/claire', 'Patient/jean'] } } });
    expect(shared).toHaveLength(1);
  });

  it('R9.3 nothing is destroyed before ten years', async () => {
    await putAs(await t.as(CLAIRE), closing('holder-request'));
    expect((await job.tick(later(9, 360))).destroyed).toEqual([]);
    expect((await read<DocumentReference>(t, CLAIRE, '/fhir/DocumentReference/report')).id).toBe('report');
  });

  it('R9.3 R9.2 a DMP reopened after its closure is kept', async () => {
    await putAs(await t.as(CLAIRE), closing('holder-request'));
    await ok(await postAs(await t.as(CLAIRE), fhir.dmpCreation('claire', 'Patient/claire')), 'she reopens it');
    expect((await job.tick(later(11))).destroyed).toEqual([]);
    expect((await read<DocumentReference>(t, GP, '/fhir/DocumentReference/report')).id).toBe('report');
  });

  it('R9.3 an open DMP is never destroyed, however old', async () => {
    expect((await job.tick(later(30))).destroyed).toEqual([]);
    expect(await t.store.read('Patient', 'claire')).toBeDefined();
  });

  it('R9.3 the destruction is recorded once when the job runs again', async () => {
    await putAs(await t.as(CLAIRE), closing('holder-request'));
    expect((await job.tick(later(10, 2))).destroyed).toHaveLength(1);
    expect((await job.tick(later(10, 3))).destroyed).toHaveLength(0);
    const events = await t.store.find('AuditEvent', { filter: { 'sec.patient': 'Patient/claire' } });
    expect(events.filter((row) => (row.resource as AuditEvent).outcomeDesc === 'R9.3')).toHaveLength(1);
  });
});
