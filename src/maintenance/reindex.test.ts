import type { AllergyIntolerance, Communication, Resource } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { binary, doc } from '../access/test-fixture.js';
import type { Store, StoredRow } from '../store/store.js';
import { reindex } from './reindex.js';
import { reindexTypes } from './reindex-types.js';
import { allVersions, deleteResource, identity, nextVersion, openTempStore, writeVersions, type Stale, type TempStore } from './test-store.js';

const T1 = new Date('2025-01-10T09:00:00.000Z');
const T2 = new Date('2025-02-10T09:00:00.000Z');
const T3 = new Date('2025-03-10T09:00:00.000Z');
const IMAGING = ['http://loinc.org', '18748-4'] as const;
const LAB = ['http://loinc.org', '11502-2'] as const;
const allergy: AllergyIntolerance = { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/alice' }, clinicalStatus: { text: 'active' } };
const CREATOR = 'rpps:810000000001';

/** The stale facts an older family table would have stored: a family that no longer exists, no search values. */
const STALE: Stale = { sec: { family: 'stale-family' }, idx: { stale: ['x'] } };

/**
 * d1: imaging, then retyped as lab; d2: lab, then deleted; a1: an allergy; b1: a Binary whose
 * creator (the writer, known only at write time) must survive. Written as the write path writes,
 * with `stale` laid over every version.
 */
async function seed(store: Store, stale: Stale): Promise<void> {
  await writeVersions(store, [doc('d1', 'alice', { type: [...IMAGING] }), doc('d2', 'alice', { type: [...LAB] }), allergy], T1, stale);
  const b1 = nextVersion(binary('b1', 'DocumentReference/d1'), undefined, T1, { ...stale, sec: { ...stale.sec, creator: CREATOR } });
  await store.commit([{ row: b1, expectedVersion: 0 }]);
  await writeVersions(store, [doc('d1', 'alice', { type: [...LAB], description: 'retyped' })], T2, stale);
  await deleteResource(store, 'DocumentReference', 'd2', T3);
}

const TYPES = ['DocumentReference', 'AllergyIntolerance', 'Binary'];

async function snapshot(store: Store): Promise<StoredRow[]> {
  return (await Promise.all(TYPES.map((type) => allVersions(store, type)))).flat();
}

describe('reindex', () => {
  const opened: TempStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((t) => t.close()));
  });
  const open = async () => {
    const t = await openTempStore();
    opened.push(t);
    return t.store;
  };

  it('recomputes idx and sec of every version as the write path would compute them today, changing nothing else', async () => {
    const stale = await open();
    await seed(stale, STALE);
    const before = await snapshot(stale);
    expect(before.map((r) => r.sec.family)).toContain('stale-family');

    const result = await reindex(stale, { types: reindexTypes(), batchSize: 2 });

    const after = await snapshot(stale);
    expect(after.map(identity)).toEqual(before.map(identity));
    const clean = await open();
    await seed(clean, {});
    expect(after).toEqual(await snapshot(clean));
    expect(result).toEqual({ rows: 4, versions: 6, changed: 6 });
    expect(await stale.historyCount('DocumentReference', undefined, {})).toBe(4);
  });

  it('corrects the family of each version, keeps deposit date and creator, and gives a tombstone the facts of what it deleted', async () => {
    const store = await open();
    await seed(store, STALE);
    await reindex(store, { types: TYPES });
    expect((await store.readVersion('DocumentReference', 'd1', 1))?.sec).toMatchObject({ family: 'imaging', deposited: T1.toISOString() });
    expect((await store.read('DocumentReference', 'd1'))?.sec).toMatchObject({ family: 'lab', patient: 'Patient/alice', deposited: T1.toISOString() });
    expect(await store.read('DocumentReference', 'd2')).toMatchObject({ deleted: true, versionId: 2, idx: {}, sec: { family: 'lab', patient: 'Patient/alice' } });
    expect((await store.read('AllergyIntolerance', 'a1'))?.sec).toMatchObject({ family: 'allergies' });
    expect((await store.read('Binary', 'b1'))?.sec).toEqual({ documents: ['d1'], creator: CREATOR });
  });

  it('makes the corrected fields searchable, through the store indexes', async () => {
    const store = await open();
    await seed(store, STALE);
    const lab = { filter: { 'sec.family': 'lab' } };
    const typed = { filter: { 'idx.type': 'http://loinc.org|11502-2' } };
    expect(await store.find('DocumentReference', lab)).toEqual([]);
    expect(await store.find('DocumentReference', typed)).toEqual([]);
    await reindex(store, { types: TYPES });
    expect((await store.find('DocumentReference', lab)).map((r) => r.id)).toEqual(['d1']);
    expect((await store.find('DocumentReference', typed)).map((r) => `${r.id}@${r.versionId}`)).toEqual(['d1@2']);
    expect(await store.count('DocumentReference', { 'sec.family': 'stale-family' })).toBe(0);
    expect(await store.count('AllergyIntolerance', { 'sec.family': 'allergies' })).toBe(1);
  });

  it('is idempotent: a second run finds every version up to date and rewrites none', async () => {
    const store = await open();
    await seed(store, STALE);
    await reindex(store, { types: TYPES });
    const once = await snapshot(store);
    expect(await reindex(store, { types: TYPES, batchSize: 1 })).toEqual({ rows: 4, versions: 6, changed: 0 });
    expect(await snapshot(store)).toEqual(once);
  });

  it('leaves alone rows that carry another type\'s resource, as the notification outbox does', async () => {
    const store = await open();
    const notice: Communication = { resourceType: 'Communication', id: 'c1', status: 'completed', subject: { reference: 'Patient/alice' } };
    const [communication] = await writeVersions(store, [notice], T1);
    const outbox: StoredRow = { ...communication!, type: 'NotificationOutbox', sec: { state: 'pending', due: T1.toISOString(), attempts: 0 } };
    await store.commit([{ row: outbox, expectedVersion: 0 }]);
    const result = await reindex(store, { types: ['Communication', 'NotificationOutbox'] });
    expect(result).toEqual({ rows: 2, versions: 1, changed: 0 });
    expect((await store.read('NotificationOutbox', 'c1'))?.sec).toEqual({ state: 'pending', due: T1.toISOString(), attempts: 0 });
    expect((await store.read('Communication', 'c1'))?.sec).toMatchObject({ patient: 'Patient/alice' });
  });

  it('walks a type in pages whatever the batch size, and logs what it did per type', async () => {
    const store = await open();
    const docs: Resource[] = Array.from({ length: 7 }, (_, i) => doc(`d${i}`, 'bob', { type: [...LAB] }));
    await writeVersions(store, docs, T1, STALE);
    const messages: string[] = [];
    const result = await reindex(store, { types: ['Patient', 'DocumentReference'], batchSize: 3, log: { info: (m) => messages.push(m) } });
    expect(result).toEqual({ rows: 7, versions: 7, changed: 7 });
    expect(await store.count('DocumentReference', { 'sec.family': 'lab' })).toBe(7);
    expect(messages).toEqual(['reindex DocumentReference: 7 resources, 7 versions, 7 rewritten']);
  });
});
