import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFaults, type FaultyStore } from '../../src/store/faulty-store.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { GP, NURSE, aliceWorld, auditEvents } from './dmp-world.js';

describe.each(STORE_KINDS)('no audit, no data, on the %s store', (kind) => {
  let t: TestApp;
  let faults: FaultyStore;
  beforeEach(async () => {
    t = await createTestApp({
      kind,
      wrapStore: (store) => {
        faults = withFaults(store);
        return faults.store;
      },
    });
    await aliceWorld(t);
  });
  afterEach(() => t.close());

  it('answers 500 and returns nothing of the document when the trace of a read cannot be written', async () => {
    const nurse = await t.as(NURSE);
    const before = (await auditEvents(t)).length;
    faults.failNext('commit', new Error('disk full'));
    const res = await nurse.get('/fhir/DocumentReference/report-1');
    expect(res.status).toBe(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text).not.toContain('report-1');
    expect(res.headers.etag).toBeUndefined();
    // The failed read left no trace of a success.
    const after = await auditEvents(t);
    expect(after.slice(before).filter((e) => e.outcome === '0')).toHaveLength(0);
  });

  it('stores neither the document nor its trace when the commit fails', async () => {
    const gp = await t.as(GP);
    const docsBefore = await t.store.count('DocumentReference', {});
    faults.failNext('commit', new Error('disk full'));
    const res = await gp
      .post('/fhir/DocumentReference')
      .set('content-type', 'application/fhir+json')
      .send(JSON.stringify({ ...(await t.store.read('DocumentReference', 'report-1'))!.resource, id: undefined, meta: undefined }));
    expect(res.status).toBe(500);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(await t.store.count('DocumentReference', {})).toBe(docsBefore);
    const creates = (await auditEvents(t)).filter((e) => e.subtype?.[0]?.code === 'create' && e.outcome === '0');
    expect(creates).toHaveLength(0);
  });
});
