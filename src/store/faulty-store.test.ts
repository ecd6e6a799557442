import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from './embedded-store.js';
import { withFaults } from './faulty-store.js';
import { StoreUnavailableError, type Store, type StoredRow } from './store.js';

function patientRow(id: string, versionId = 1): StoredRow {
  const lastUpdated = '2024-05-01T10:00:00.000Z';
  return {
    type: 'Patient',
    id,
    versionId,
    lastUpdated,
    deleted: false,
    resource: { resourceType: 'Patient', id, meta: { versionId: String(versionId), lastUpdated } },
    idx: {},
    sec: {},
  };
}

describe('withFaults', () => {
  let dir: string;
  let inner: Store;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-faulty-store-'));
    inner = await openEmbeddedStore({ dir, indexPlan: {} });
  });

  afterEach(async () => {
    await inner.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('forwards every call to the real store while no fault is set', async () => {
    const { store } = withFaults(inner);
    await store.commit([{ row: patientRow('p1'), expectedVersion: 0 }]);
    expect(store.kind).toBe(inner.kind);
    expect((await store.read('Patient', 'p1'))?.versionId).toBe(1);
    expect(await store.count('Patient', {})).toBe(1);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('forwards the maintenance calls: rewrite, scan and meta', async () => {
    const { store } = withFaults(inner);
    await store.commit([{ row: patientRow('p1'), expectedVersion: 0 }]);
    await store.rewrite([{ type: 'Patient', id: 'p1', versionId: 1, idx: {}, sec: { patient: 'Patient/p1' } }]);
    expect((await inner.read('Patient', 'p1'))?.sec).toEqual({ patient: 'Patient/p1' });
    expect((await store.scan('Patient', { limit: 10 })).map((r) => r.id)).toEqual(['p1']);
    await store.setMeta('k', 'v');
    expect(await inner.getMeta('k')).toBe('v');
    expect(await store.getMeta('k')).toBe('v');
  });

  it('fails the next commit only, and that commit writes nothing', async () => {
    const faults = withFaults(inner);
    faults.failNext('commit');
    await expect(faults.store.commit([{ row: patientRow('p1'), expectedVersion: 0 }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await inner.read('Patient', 'p1')).toBeUndefined();
    await faults.store.commit([{ row: patientRow('p1'), expectedVersion: 0 }]);
    expect((await inner.read('Patient', 'p1'))?.id).toBe('p1');
  });

  it('throws the error it was given', async () => {
    const faults = withFaults(inner);
    const boom = new Error('audit write refused');
    faults.failNext('commit', boom);
    await expect(faults.store.commit([{ row: patientRow('p1'), expectedVersion: 0 }])).rejects.toBe(boom);
  });

  it('leaves other methods alone when one method is told to fail', async () => {
    const faults = withFaults(inner);
    faults.failNext('commit');
    await expect(faults.store.read('Patient', 'p1')).resolves.toBeUndefined();
    await expect(faults.store.commit([])).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("fails whichever call comes next for 'any', once", async () => {
    const faults = withFaults(inner);
    faults.failNext('any');
    await expect(faults.store.find('Patient', { filter: {} })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(faults.store.find('Patient', { filter: {} })).resolves.toEqual([]);
  });

  it('fails every call as unavailable during an outage, and recovers after it', async () => {
    const faults = withFaults(inner);
    await faults.store.commit([{ row: patientRow('p1'), expectedVersion: 0 }]);
    faults.setUnavailable(true);
    const calls: Array<() => Promise<unknown>> = [
      () => faults.store.read('Patient', 'p1'),
      () => faults.store.readVersion('Patient', 'p1', 1),
      () => faults.store.find('Patient', { filter: {} }),
      () => faults.store.count('Patient', {}),
      () => faults.store.history('Patient', undefined, {}),
      () => faults.store.historyCount('Patient', 'p1', {}),
      () => faults.store.commit([{ row: patientRow('p2'), expectedVersion: 0 }]),
      () => faults.store.purge('Patient', ['p1']),
      () => faults.store.rewrite([{ type: 'Patient', id: 'p1', versionId: 1, idx: {}, sec: { patient: 'x' } }]),
      () => faults.store.scan('Patient', { limit: 10 }),
      () => faults.store.getMeta('k'),
      () => faults.store.setMeta('k', 'v'),
      () => faults.store.ping(),
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
    faults.setUnavailable(false);
    expect((await faults.store.read('Patient', 'p1'))?.id).toBe('p1');
    expect(await faults.store.read('Patient', 'p2')).toBeUndefined();
    expect((await faults.store.read('Patient', 'p1'))?.sec).toEqual({});
    expect(await faults.store.getMeta('k')).toBeUndefined();
  });
});
