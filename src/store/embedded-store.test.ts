import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Key } from 'lmdb';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type QueryTrace } from './embedded-store.js';
import { StoreUnavailableError, type IndexPlan, type RowWrite, type Store, type StoredRow } from './store.js';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(plan: IndexPlan, dir?: string): Promise<{ store: Store; traces: QueryTrace[]; dir: string }> {
  const at = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'dmp-embedded-')));
  if (!dir) dirs.push(at);
  const traces: QueryTrace[] = [];
  const store = await openEmbeddedStore({ dir: at, indexPlan: plan, observe: (t) => traces.push(t) });
  stores.push(store);
  return { store, traces, dir: at };
}

function observation(i: number, extra: Record<string, unknown[]> = {}): StoredRow {
  return {
    type: 'Observation',
    id: `obs-${String(i).padStart(5, '0')}`,
    versionId: 1,
    lastUpdated: '2024-01-01T00:00:00.000Z',
    deleted: false,
    resource: { resourceType: 'Observation', id: `obs-${i}` } as StoredRow['resource'],
    idx: { code: [`http://loinc.org|${i % 50}`, `${i % 50}`], patient: [`Patient/p${i % 100}`], ...extra },
    sec: { patient: `Patient/p${i % 100}` },
  };
}

const creates = (rows: StoredRow[]): RowWrite[] => rows.map((row) => ({ row, expectedVersion: 0 }));
const PLAN: IndexPlan = { Observation: ['idx.code', 'idx.patient', 'sec.patient'] };

describe('embedded store', () => {
  it('answers a token equality from the index without scanning', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 2000 }, (_, i) => observation(i))));
    const rows = await store.find('Observation', { filter: { 'idx.code': 'http://loinc.org|7' } });
    expect(rows).toHaveLength(40);
    expect(traces.at(-1)).toEqual({ operation: 'find', type: 'Observation', strategy: 'index', candidates: 40, exact: true });
  });

  it('intersects a patient compartment with an access fragment, reading only the rarer side in full', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 2000 }, (_, i) => observation(i))));
    const filter = { $and: [{ 'idx.patient': 'Patient/p3' }, { 'sec.patient': 'Patient/p3' }, { 'idx.code': '3' }] };
    expect(await store.count('Observation', filter)).toBe(20);
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 20, exact: true });
  });

  it('evaluates the rest of the filter on index candidates only', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 2000 }, (_, i) => observation(i, { value: [i] }))));
    const rows = await store.find('Observation', { filter: { 'idx.patient': 'Patient/p3', 'idx.value': { $gte: 1000 } }, sort: [['idx.value', -1]], limit: 3 });
    expect(rows.map((r) => r.idx.value)).toEqual([[1903], [1803], [1703]]);
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 20, exact: false });
  });

  it('checks a many-valued $in by reading each candidate once, with the same answer as point lookups', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 2000 }, (_, i) => observation(i))));
    const codes = ['3', '53', '7', '9', 'http://loinc.org|11'];
    const filter = { 'sec.patient': 'Patient/p3', 'idx.code': { $in: codes } };
    const expected = Array.from({ length: 2000 }, (_, i) => observation(i)).filter((r) => r.sec.patient === 'Patient/p3' && r.idx.code!.some((c) => codes.includes(c as string)));
    expect(expected.length).toBeGreaterThan(0);
    expect(await store.count('Observation', filter)).toBe(expected.length);
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', exact: true, candidates: expected.length });
    expect((await store.find('Observation', { filter })).map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('answers the count and the page of one filter object in one turn from one match', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 2000 }, (_, i) => observation(i, { value: [i] }))));
    const filter = { 'idx.patient': 'Patient/p3', 'idx.value': { $gte: 1000 } };
    const [total, page] = await Promise.all([
      store.count('Observation', filter),
      store.find('Observation', { filter, sort: [['idx.value', -1]], limit: 2 }),
    ]);
    expect(total).toBe(10);
    expect(page.map((r) => r.idx.value)).toEqual([[1903], [1803]]);
    // the count read the 20 candidates, the page reused its match
    expect(traces.slice(-2).map((t) => t.candidates)).toEqual([20, 0]);
    // a later turn, after a write, matches again and sees the write
    await store.commit(creates([{ ...observation(3), id: 'obs-new', idx: { patient: ['Patient/p3'], value: [5000] } }]));
    expect(await store.count('Observation', filter)).toBe(11);
    expect((await store.find('Observation', { filter, sort: [['idx.value', -1]], limit: 1 })).map((r) => r.id)).toEqual(['obs-new']);
    expect(traces.at(-1)).toMatchObject({ candidates: 21 });
  });

  it('answers reads and searches after a write, a refused write, a rewrite and a purge with what they left', async () => {
    const { store } = await open(PLAN);
    await store.commit(creates([observation(1), observation(2)]));
    const byPatient = (p: string) => store.find('Observation', { filter: { 'sec.patient': p, 'idx.code': { $in: ['1', '2', '3'] } } });
    // a read and a search before the writes
    expect((await store.read('Observation', 'obs-00001'))?.versionId).toBe(1);
    expect((await byPatient('Patient/p1')).map((r) => r.id)).toEqual(['obs-00001']);
    await store.commit([{ row: { ...observation(1), versionId: 2, idx: { code: ['2'] }, sec: { patient: 'Patient/p2' } }, expectedVersion: 1 }]);
    expect((await store.read('Observation', 'obs-00001'))?.versionId).toBe(2);
    expect((await byPatient('Patient/p1')).map((r) => r.id)).toEqual([]);
    expect((await byPatient('Patient/p2')).map((r) => r.id)).toEqual(['obs-00001', 'obs-00002']);
    // a refused commit leaves what was there
    await expect(store.commit([{ row: { ...observation(2), versionId: 2, sec: { patient: 'Patient/p9' } }, expectedVersion: 7 }])).rejects.toThrow();
    expect((await store.read('Observation', 'obs-00002'))?.sec).toEqual({ patient: 'Patient/p2' });
    await store.rewrite([{ type: 'Observation', id: 'obs-00002', versionId: 1, idx: { code: ['3'] }, sec: { patient: 'Patient/p3' } }]);
    expect((await byPatient('Patient/p3')).map((r) => r.id)).toEqual(['obs-00002']);
    await store.purge('Observation', ['obs-00002']);
    expect(await store.read('Observation', 'obs-00002')).toBeUndefined();
    expect((await byPatient('Patient/p3')).map((r) => r.id)).toEqual([]);
  });

  it('keeps no postings for system-only token keys, and evaluates a query on them', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 200 }, (_, i) => observation(i, { code: [`http://loinc.org|${i % 50}`, `${i % 50}`, 'http://loinc.org|'] }))));
    expect(await store.count('Observation', { 'idx.code': 'http://loinc.org|' })).toBe(200);
    expect(traces.at(-1)).toMatchObject({ strategy: 'scan', candidates: 200 });
    // beside an indexed condition, the other one drives
    expect(await store.count('Observation', { 'sec.patient': 'Patient/p3', 'idx.code': { $in: ['http://loinc.org|', '3'] } })).toBe(2);
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 2, exact: false });
    expect(await store.count('Observation', { 'idx.code': 'http://loinc.org|3' })).toBe(4);
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 4, exact: true });
  });

  it('rebuilds on open a field indexed under an older revision of the kept values', async () => {
    const first = await open(PLAN);
    await first.store.commit(creates(Array.from({ length: 100 }, (_, i) => observation(i))));
    await first.store.close();
    // as an older server recorded its fields: no key revision
    const { open: openLmdb } = await import('lmdb');
    const env = openLmdb({ path: first.dir, maxDbs: 8 });
    const meta = env.openDB<{ code: number; ready: boolean; keys?: number }, Key>({ name: 'meta' });
    const record = meta.get(['field', 'Observation', 'idx.code'])!;
    await meta.put(['field', 'Observation', 'idx.code'], { code: record.code, ready: true });
    await env.close();
    const second = await open(PLAN, first.dir);
    expect(await second.store.count('Observation', { 'idx.code': '7' })).toBe(2);
    expect(second.traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 2, exact: true });
    await second.store.close();
    const again = openLmdb({ path: first.dir, maxDbs: 8 });
    const rebuilt = again.openDB<{ code: number; ready: boolean; keys?: number }, Key>({ name: 'meta' }).get(['field', 'Observation', 'idx.code']);
    await again.close();
    expect(rebuilt).toMatchObject({ ready: true, keys: 2 });
    expect(rebuilt!.code).not.toBe(record.code);
  });

  it('keeps no postings for the range ends of dates, which only MongoDB scans', async () => {
    const { store, traces } = await open({ Observation: ['idx.patient', 'idx.date.lo', 'idx.date.hi'] });
    await store.commit(creates(Array.from({ length: 100 }, (_, i) => observation(i, { date: [{ lo: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`, hi: '2024-12-31' }] }))));
    expect(await store.count('Observation', { 'idx.date.lo': '2024-01-02' })).toBe(4);
    expect(traces.at(-1)).toMatchObject({ strategy: 'scan', candidates: 100 });
  });

  it('scans the type when no index applies', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 300 }, (_, i) => observation(i, { status: [i % 3 === 0 ? 'final' : 'draft'] }))));
    expect(await store.count('Observation', { 'idx.status': 'final' })).toBe(100);
    expect(traces.at(-1)).toMatchObject({ strategy: 'scan', candidates: 300 });
  });

  it('builds the index of a field added to the plan, and forgets a removed one, on open', async () => {
    const first = await open({ Observation: ['idx.patient'] });
    await first.store.commit(creates(Array.from({ length: 500 }, (_, i) => observation(i))));
    await first.store.count('Observation', { 'idx.code': '7' });
    expect(first.traces.at(-1)).toMatchObject({ strategy: 'scan' });
    await first.store.close();

    const second = await open({ Observation: ['idx.patient', 'idx.code'] }, first.dir);
    expect(await second.store.count('Observation', { 'idx.code': '7' })).toBe(10);
    expect(second.traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 10 });
    // writes after the rebuild maintain the new index
    await second.store.commit([{ row: { ...observation(7), versionId: 2, idx: { code: ['none'] } }, expectedVersion: 1 }]);
    expect(await second.store.count('Observation', { 'idx.code': '7' })).toBe(9);
    await second.store.close();

    const third = await open({ Observation: ['idx.patient'] }, first.dir);
    expect(await third.store.count('Observation', { 'idx.code': '7' })).toBe(9);
    expect(third.traces.at(-1)).toMatchObject({ strategy: 'scan' });
  });

  it('reads only the requested page of an exact filter in id order', async () => {
    const { store, traces } = await open(PLAN);
    await store.commit(creates(Array.from({ length: 1000 }, (_, i) => observation(i))));
    const page = await store.find('Observation', { filter: { 'sec.patient': 'Patient/p1' }, skip: 2, limit: 3 });
    expect(page.map((r) => r.id)).toEqual(['obs-00201', 'obs-00301', 'obs-00401']);
    expect(page[0]!.resource).toMatchObject({ resourceType: 'Observation' });
    expect(traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 10, exact: true });
  });

  it('rewrites the current version in place when the same versionId is committed again', async () => {
    const { store } = await open(PLAN);
    await store.commit(creates([observation(1)]));
    await store.commit([{ row: { ...observation(1), lastUpdated: '2024-01-02T00:00:00.000Z', sec: { patient: 'Patient/other' } }, expectedVersion: 1 }]);
    expect(await store.historyCount('Observation', undefined, {})).toBe(1);
    expect((await store.history('Observation', undefined, { since: '2024-01-02T00:00:00.000Z' })).map((r) => r.sec)).toEqual([{ patient: 'Patient/other' }]);
    expect(await store.count('Observation', { 'sec.patient': 'Patient/p1' })).toBe(0);
    expect(await store.count('Observation', { 'sec.patient': 'Patient/other' })).toBe(1);
  });

  it('commits the other commits batched with one that conflicts', async () => {
    const { store } = await open(PLAN);
    await store.commit(creates([observation(1)]));
    const results = await Promise.allSettled([
      store.commit(creates([observation(2)])),
      store.commit([{ row: observation(3), expectedVersion: 0 }, { row: { ...observation(1), versionId: 2 }, expectedVersion: 5 }]),
      store.commit(creates([observation(4)])),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.find('Observation', { filter: {} })).map((r) => `${r.id}@${r.versionId}`)).toEqual(['obs-00001@1', 'obs-00002@1', 'obs-00004@1']);
  });

  it('keeps rewritten facts, their postings and meta values across close and reopen', async () => {
    const plan: IndexPlan = { Observation: [...PLAN.Observation!, 'resource.id'] };
    const first = await open(plan);
    await first.store.commit(creates([observation(1), observation(2)]));
    await first.store.rewrite([{ type: 'Observation', id: 'obs-00001', versionId: 1, idx: { code: ['x'] }, sec: { patient: 'Patient/moved' } }]);
    await first.store.setMeta('profiles-hash', 'h1');
    await first.store.close();
    const second = await open(plan, first.dir);
    expect(await second.store.getMeta('profiles-hash')).toBe('h1');
    expect((await second.store.find('Observation', { filter: { 'sec.patient': 'Patient/moved' } })).map((r) => r.id)).toEqual(['obs-00001']);
    expect(await second.store.count('Observation', { 'sec.patient': 'Patient/p1' })).toBe(0);
    expect(await second.store.count('Observation', { 'idx.code': 'x' })).toBe(1);
    // a field read from the resource keeps its postings: the resource was not touched
    expect((await second.store.find('Observation', { filter: { 'resource.id': 'obs-1' } })).map((r) => r.id)).toEqual(['obs-00001']);
    expect(second.traces.at(-1)).toMatchObject({ strategy: 'index', candidates: 1 });
  });

  it('keeps its rows across close and reopen', async () => {
    const first = await open(PLAN);
    await first.store.commit(creates([observation(1), observation(2)]));
    await first.store.close();
    const second = await open(PLAN, first.dir);
    expect((await second.store.read('Observation', 'obs-00002'))?.idx.patient).toEqual(['Patient/p2']);
    expect(await second.store.count('Observation', {})).toBe(2);
  });

  it('answers StoreUnavailableError once closed', async () => {
    const { store } = await open(PLAN);
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.commit(creates([observation(1)]))).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses malformed rows before writing anything', async () => {
    const { store } = await open(PLAN);
    const bad = { ...observation(2), versionId: 0 };
    await expect(store.commit(creates([observation(1), bad]))).rejects.toThrow(/versionId/);
    expect(await store.read('Observation', 'obs-00001')).toBeUndefined();
  });
});
