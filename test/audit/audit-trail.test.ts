import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { EMERGENCY, GP, HOLDER, NURSE, STRANGER, aliceWorld, auditEvents, categoryOf, communications, putJson } from './dmp-world.js';

const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
const whoRpps = (e: import('fhir/r4').AuditEvent) => e.agent?.find((a) => a.requestor)?.who?.identifier?.value;
const references = (e: import('fhir/r4').AuditEvent) => (e.entity ?? []).map((x) => x.what?.reference);

describe.each(STORE_KINDS)('the audit trail on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await aliceWorld(t);
  });
  afterEach(() => t.close());

  it('R10.1 writes exactly one AuditEvent per request, reads and searches included', async () => {
    const nurse = await t.as(NURSE);
    const before = (await auditEvents(t)).length;
    expect((await nurse.get('/fhir/DocumentReference/report-1')).status).toBe(200);
    expect((await nurse.get('/fhir/DocumentReference?patient=alice')).status).toBe(200);
    expect((await nurse.get('/fhir/DocumentReference/report-1/_history/1')).status).toBe(200);
    const events = (await auditEvents(t)).slice(before);
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.subtype?.[0]?.code)).toEqual(['read', 'search-type', 'vread']);
    for (const e of events) {
      expect(e.outcome).toBe('0');
      expect(whoRpps(e)).toBe(NURSE.rpps);
      expect(e.agent?.find((a) => a.requestor)?.who?.identifier?.system).toBe(RPPS_SYSTEM);
      expect(references(e)).toContain('Patient/alice');
    }
    expect(references(events[0]!)).toContain('DocumentReference/report-1/_history/1');
    expect(references(events[1]!)).toContain('DocumentReference/report-1/_history/1');
  });

  it('R10.1 traces a refusal with its outcome and deciding rule', async () => {
    const stranger = await t.as(STRANGER);
    const before = (await auditEvents(t)).length;
    expect((await stranger.get('/fhir/DocumentReference/report-1')).status).toBe(404);
    const [event] = (await auditEvents(t)).slice(before);
    expect(event?.outcome).toBe('4');
    expect(event?.outcomeDesc).toMatch(/^R3\.7/);
    expect(references(event!)).toContain('Patient/alice');
  });

  it('R10.1 traces an authentication failure', async () => {
    const before = (await auditEvents(t)).length;
    expect((await t.anonymous.get('/fhir/DocumentReference/report-1')).status).toBe(401);
    const [event] = (await auditEvents(t)).slice(before);
    expect(event?.outcome).toBe('4');
    expect(event?.outcomeDesc).toMatch(/^R1\.1/);
  });

  it('R10.1 traces a deposit as a create by its author', async () => {
    const gp = await t.as(GP);
    const created = await gp
      .post('/fhir/DocumentReference')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify({ ...(await t.store.read('DocumentReference', 'report-1'))!.resource, id: undefined, meta: undefined }));
    expect(created.status).toBe(201);
    const events = await auditEvents(t);
    const deposit = events.at(-1)!;
    expect(deposit.subtype?.[0]?.code).toBe('create');
    expect(deposit.action).toBe('C');
    expect(whoRpps(deposit)).toBe(GP.rpps);
    expect(references(deposit)).toContain(`DocumentReference/${created.body.id}/_history/1`);
  });

  it('R10.1 lets the holder read who accessed her record, newest first', async () => {
    const nurse = await t.as(NURSE);
    await nurse.get('/fhir/DocumentReference/report-1');
    const holder = await t.as(HOLDER);
    const res = await holder.get('/fhir/AuditEvent?patient=Patient/alice&_sort=-date&_count=100');
    expect(res.status).toBe(200);
    const events = (res.body.entry ?? []).map((e: { resource: import('fhir/r4').AuditEvent }) => e.resource);
    expect(events.length).toBeGreaterThanOrEqual(4);
    const recorded = events.map((e: import('fhir/r4').AuditEvent) => e.recorded);
    expect([...recorded].sort().reverse()).toEqual(recorded);
    expect(whoRpps(events[0])).toBe(NURSE.rpps);
    expect(events[0].subtype[0].code).toBe('read');
  });

  it('R10.1 shows a professional only their own traces', async () => {
    const nurse = await t.as(NURSE);
    await nurse.get('/fhir/DocumentReference/report-1');
    const res = await nurse.get('/fhir/AuditEvent?_count=100');
    expect(res.status).toBe(200);
    const events = (res.body.entry ?? []).map((e: { resource: import('fhir/r4').AuditEvent }) => e.resource);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(whoRpps(e)).toBe(NURSE.rpps);
  });

  it('D13 refuses to change or delete an AuditEvent, for everyone including admins', async () => {
    const [event] = await auditEvents(t);
    for (const agent of [t.request, await t.as(HOLDER)]) {
      expect((await putJson(agent, `/fhir/AuditEvent/${event!.id}`, event)).status).toBe(405);
      expect((await agent.delete(`/fhir/AuditEvent/${event!.id}`)).status).toBe(405);
      const patch = await agent.patch(`/fhir/AuditEvent/${event!.id}`).set('content-type', 'application/json-patch+json').send('[]');
      expect(patch.status).toBe(405);
      expect(errorCode(patch.body)).toBe('METHOD_NOT_ALLOWED');
    }
  });

  it('R10.2 notifies the holder when her DMP is opened', async () => {
    const notes = await communications(t);
    expect(notes.filter((c) => categoryOf(c) === 'dmp-opened')).toHaveLength(1);
    expect(notes[0]?.subject?.reference).toBe('Patient/alice');
  });

  it('R10.2 notifies the first access of a professional once, however often they come back', async () => {
    const firstAccesses = async () => (await communications(t)).filter((c) => categoryOf(c) === 'first-access').length;
    const before = await firstAccesses();
    const nurse = await t.as(NURSE);
    await nurse.get('/fhir/DocumentReference/report-1');
    expect(await firstAccesses()).toBe(before + 1);
    await nurse.get('/fhir/DocumentReference/report-1');
    await nurse.get('/fhir/DocumentReference?patient=alice');
    expect(await firstAccesses()).toBe(before + 1);
  });

  it('R6.4 notifies and traces every break-glass request, without de-duplication (D26)', async () => {
    const emergency = await t.as(EMERGENCY);
    expect((await emergency.get('/fhir/DocumentReference/report-1')).status).toBe(200);
    expect((await emergency.get('/fhir/DocumentReference/report-1')).status).toBe(200);
    const notes = (await communications(t)).filter((c) => categoryOf(c) === 'break-glass');
    expect(notes).toHaveLength(2);
    const events = (await auditEvents(t)).filter((e) => whoRpps(e) === STRANGER.rpps);
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.agent?.[0]?.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    }
  });
});
