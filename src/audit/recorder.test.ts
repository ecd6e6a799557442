import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FhirError, forbidden, notFound, unauthorized } from '../fhir/errors.js';
import { withFaults } from '../store/faulty-store.js';
import { VersionConflictError } from '../store/store.js';
import { auditEvents, CALLERS, doc, newWrite, openAuditTestStore, patient, put, recorderFor, rowOf, type AuditTestStore } from './test-fixture.js';
import { withAudit } from './with-audit.js';

let t: AuditTestStore;
beforeEach(async () => {
  t = await openAuditTestStore();
  await put(t.store, patient('alice'));
});
afterEach(() => t.close());

const references = (event: { entity?: Array<{ what?: { reference?: string } }> }) => (event.entity ?? []).map((e) => e.what?.reference);

describe('one request, one AuditEvent (D25)', () => {
  it('writes exactly one trace when a read ends, naming the holder and the row read', async () => {
    const row = await put(t.store, doc('d1', 'alice'));
    const audit = recorderFor(t.store, { access: CALLERS.gp });
    audit.row(row);
    await audit.finish('0');
    await audit.finish('0');
    const events = await auditEvents(t.store);
    expect(events).toHaveLength(1);
    expect(events[0]!.id).toBe(audit.id);
    expect(events[0]!.outcome).toBe('0');
    expect(references(events[0]!)).toEqual(['Patient/alice', 'DocumentReference/d1/_history/1']);
  });

  it('records a refusal as outcome 4 naming the rule of the error', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.nurse });
    audit.entity('DocumentReference', 'd1');
    await audit.finish(undefined, forbidden('BLOCKED_PROFESSIONAL', 'blocked by the holder', 'R3.4'));
    const [event] = await auditEvents(t.store);
    expect(event).toMatchObject({ outcome: '4', outcomeDesc: 'R3.4 BLOCKED_PROFESSIONAL' });
    expect(references(event!)).toEqual(['DocumentReference/d1']);
  });

  it('records an unexpected failure as outcome 8', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.gp });
    await audit.finish(undefined, new TypeError('bug'));
    expect((await auditEvents(t.store))[0]).toMatchObject({ outcome: '8', outcomeDesc: 'SERVER_ERROR' });
  });

  it('records a failed authentication with what the connection tells', async () => {
    const audit = recorderFor(t.store, { client: { address: '203.0.113.5' }, interaction: 'search-type' });
    await audit.finish(undefined, unauthorized('INVALID_TOKEN', 'bad signature'));
    const [event] = await auditEvents(t.store);
    expect(event).toMatchObject({ outcome: '4', outcomeDesc: 'R1.1 INVALID_TOKEN' });
    expect(event!.agent[0]).toMatchObject({ requestor: true, network: { address: '203.0.113.5' } });
    expect(event!.agent[1]!.who).toEqual({ display: '203.0.113.5' });
  });

  it('lists the AuditEvents a search of the trail returned without adding the holders they name', async () => {
    const first = recorderFor(t.store, { access: CALLERS.gp });
    first.patient('Patient/alice');
    await first.finish('0');
    const search = recorderFor(t.store, { access: CALLERS.nurse, interaction: 'search-type' });
    search.rows(await t.store.find('AuditEvent', { filter: {} }));
    await search.finish('0');
    const event = (await auditEvents(t.store)).find((e) => e.id === search.id)!;
    expect(references(event)).toEqual([`AuditEvent/${first.id}/_history/1`]);
  });

  it('keeps one entity per resource, the last version written, and caps the list counting the rest', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.gp, interaction: 'search-type', maxEntities: 3 });
    audit.patient('Patient/alice');
    audit.entity('DocumentReference', 'd1', 1);
    audit.entity('DocumentReference', 'd1', 2);
    for (const id of ['d2', 'd3', 'd4']) audit.entity('DocumentReference', id, 1);
    audit.query('patient=Patient/alice');
    await audit.finish('0');
    const [event] = await auditEvents(t.store);
    expect(references(event!)).toEqual(['Patient/alice', 'DocumentReference/d1/_history/2', 'DocumentReference/d2/_history/1', undefined]);
    expect(event!.extension?.[0]?.valueUnsignedInt).toBe(2);
  });
});

describe('no audit, no data', () => {
  it('commits the trace in the same commit as the data it records', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.gp, interaction: 'create' });
    const row = rowOf(doc('d1', 'alice'));
    audit.wrote(row);
    await t.store.commit([newWrite(row), ...(await audit.sealWith('0'))]);
    await audit.finish('0');
    expect(await t.store.read('DocumentReference', 'd1')).toBeDefined();
    const events = await auditEvents(t.store);
    expect(events).toHaveLength(1);
    expect(references(events[0]!)).toContain('DocumentReference/d1/_history/1');
  });

  it('stores neither the data nor its trace when their commit fails, then records the failure alone', async () => {
    const faulty = withFaults(t.store);
    const audit = recorderFor(faulty.store, { access: CALLERS.gp, interaction: 'create' });
    const row = rowOf(doc('d1', 'alice'));
    audit.wrote(row);
    const rows = [newWrite(row), ...(await audit.sealWith('0'))];
    faulty.failNext('commit');
    const failure = await faulty.store.commit(rows).catch((error: unknown) => error);
    expect(await t.store.read('DocumentReference', 'd1')).toBeUndefined();
    expect(await t.store.read('AuditEvent', audit.id)).toBeUndefined();
    await audit.finish(undefined, failure);
    const events = await auditEvents(t.store);
    expect(events.map((e) => e.outcome)).toEqual(['8']);
  });

  it('fails the request with a 500 AUDIT_WRITE_FAILED when the trace cannot be written', async () => {
    const faulty = withFaults(t.store);
    const audit = recorderFor(faulty.store, { access: CALLERS.gp });
    faulty.failNext('commit', new Error('disk full'));
    const error = await audit.finish('0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(500);
    expect((error as FhirError).code).toBe('AUDIT_WRITE_FAILED');
    expect(await auditEvents(t.store)).toHaveLength(0);
  });

  it('fails the request with a 503 STORE_UNAVAILABLE when the store is down', async () => {
    const faulty = withFaults(t.store);
    const audit = recorderFor(faulty.store, { access: CALLERS.gp });
    faulty.setUnavailable(true);
    const error = await audit.finish('0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).status).toBe(503);
    expect((error as FhirError).code).toBe('STORE_UNAVAILABLE');
    faulty.setUnavailable(false);
    expect(await auditEvents(t.store)).toHaveLength(0);
  });

  it('never writes a second trace when the request fails after its sealed commit landed', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.gp, interaction: 'update' });
    const row = rowOf(doc('d1', 'alice'));
    audit.wrote(row);
    await t.store.commit([newWrite(row), ...(await audit.sealWith('0'))]);
    await audit.finish(undefined, new Error('the reply could not be built'));
    expect((await auditEvents(t.store)).map((e) => e.outcome)).toEqual(['0']);
  });

  it('rebuilds the same trace when a version conflict makes the data write retry', async () => {
    await put(t.store, doc('d1', 'alice'));
    const audit = recorderFor(t.store, { access: CALLERS.gp, interaction: 'update' });
    const stale = rowOf(doc('d1', 'alice'), 2);
    audit.wrote(stale);
    const lost = await t.store.commit([{ row: stale, expectedVersion: 0 }, ...(await audit.sealWith())]).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(VersionConflictError);
    const fresh = rowOf(doc('d1', 'alice'), 2);
    audit.wrote(fresh);
    await audit.commitWith([newWrite(fresh)]);
    await audit.finish('0');
    const events = await auditEvents(t.store);
    expect(events).toHaveLength(1);
    expect(references(events[0]!)).toEqual(['Patient/alice', 'DocumentReference/d1/_history/2']);
  });
});

describe('withAudit', () => {
  it('records success after the work and returns its result', async () => {
    const result = await withAudit(recorderFor(t.store, { access: CALLERS.gp }), async (audit) => {
      audit.entity('Patient', 'alice', 1);
      return 'done';
    });
    expect(result).toBe('done');
    expect((await auditEvents(t.store)).map((e) => e.outcome)).toEqual(['0']);
  });

  it('records a refusal and rethrows the error the client gets', async () => {
    const refusal = notFound('RESOURCE_NOT_FOUND', 'DocumentReference/d9 is not known', 'R5.3');
    const error = await withAudit(recorderFor(t.store, { access: CALLERS.alice }), async () => {
      throw refusal;
    }).catch((e: unknown) => e);
    expect(error).toBe(refusal);
    expect((await auditEvents(t.store))[0]).toMatchObject({ outcome: '4', outcomeDesc: 'R5.3 RESOURCE_NOT_FOUND' });
  });
});
