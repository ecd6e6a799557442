import { afterEach, describe, expect, it } from 'vitest';
import { VersionConflictError, type Filter, type SortSpec, type Store, type StoredRow } from '../src/store/store.js';
import { CONTRACT_PLAN, LIVE_IDS, row, seedContractRows, tombstone } from './store/contract-fixture.js';
import { EMBEDDED, MONGODB, type EngineUnderTest, type OpenedStore } from './store/engines.js';

/**
 * The store contract: one table of MongoDB filters with the Observation ids each must return from
 * the fixture (test/store/contract-fixture.ts), run against the embedded store always and against
 * MongoDB when MONGODB_URI is set. A filter operator used by search or access code enters with a
 * case here. `expected` is in order when `sort` is given, a set otherwise.
 */

interface Case {
  name: string;
  filter: Filter;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  expected: string[];
}

const CASES: Case[] = [
  { name: 'token with system', filter: { 'idx.code': 'http://loinc.org|11488-4' }, expected: ['o1'] },
  { name: 'token with empty system', filter: { 'idx.code': '|11488-4' }, expected: ['o1', 'o3'] },
  { name: 'token code alone, any system', filter: { 'idx.code': '11488-4' }, expected: ['o1', 'o3', 'o4'] },
  { name: '$in over tokens', filter: { 'idx.code': { $in: ['http://loinc.org|11488-4', 'http://loinc.org|1234-5'] } }, expected: ['o1', 'o2'] },
  { name: 'reference in a multi-valued field', filter: { 'idx.patient': 'Patient/p1' }, expected: ['o1', 'o3', 'o5'] },
  { name: 'second reference of a row', filter: { 'idx.patient': 'Group/g1' }, expected: ['o5'] },
  { name: 'two indexed equalities', filter: { 'idx.patient': 'Patient/p1', 'idx.code': '11488-4' }, expected: ['o1', 'o3'] },
  {
    name: '$and of index and access fragments',
    filter: { $and: [{ 'idx.patient': 'Patient/p1' }, { 'sec.patient': 'Patient/p1' }, { 'sec.family': 'report' }] },
    expected: ['o1', 'o5'],
  },
  { name: '$or of indexed branches', filter: { $or: [{ 'idx.patient': 'Patient/p2' }, { 'idx.code': '|11488-4' }] }, expected: ['o1', 'o2', 'o3', 'o6'] },
  { name: '$or with an unindexed branch', filter: { $or: [{ 'idx.patient': 'Patient/p2' }, { 'idx.status': 'preliminary' }] }, expected: ['o2', 'o4', 'o6'] },
  { name: 'id equality', filter: { id: 'o2' }, expected: ['o2'] },
  { name: 'id $in skips tombstones and unknown ids', filter: { id: { $in: ['o1', 'o7', 'nope'] } }, expected: ['o1'] },
  { name: 'empty id $in matches nothing', filter: { id: { $in: [] } }, expected: [] },
  { name: 'empty $in matches nothing', filter: { 'idx.code': { $in: [] } }, expected: [] },
  { name: 'empty filter: every live row', filter: {}, expected: LIVE_IDS },
  { name: '$ne also matches rows without the field', filter: { 'idx.status': { $ne: 'final' } }, expected: ['o3', 'o4', 'o5'] },
  { name: '$ne excludes a row holding the value among others', filter: { 'idx.patient': { $ne: 'Patient/p1' } }, expected: ['o2', 'o4', 'o6'] },
  { name: '$nin', filter: { 'idx.status': { $nin: ['final', 'amended'] } }, expected: ['o4', 'o5'] },
  { name: '$exists false', filter: { 'idx.patient': { $exists: false } }, expected: ['o4'] },
  { name: 'null matches missing', filter: { 'idx.status': null }, expected: ['o5'] },
  { name: '$in with null matches missing', filter: { 'idx.patient': { $in: ['Patient/p2', null] } }, expected: ['o2', 'o4', 'o6'] },
  { name: 'number equality', filter: { 'idx.value': 5 }, expected: ['o1'] },
  { name: 'a string never equals a number', filter: { 'idx.value': '5' }, expected: [] },
  { name: '$gt on any element', filter: { 'idx.value': { $gt: 6 } }, expected: ['o2', 'o3', 'o6'] },
  { name: '$gt and $lt may hold on different elements', filter: { 'idx.value': { $gt: 6, $lt: 11 } }, expected: ['o2', 'o3', 'o6'] },
  { name: '$elemMatch holds on one element', filter: { 'idx.value': { $elemMatch: { $gt: 6, $lt: 11 } } }, expected: ['o2', 'o3'] },
  { name: 'comparisons stay within a kind (numbers)', filter: { 'idx.mixed': { $gt: 5 } }, expected: ['o1'] },
  { name: 'comparisons stay within a kind (strings)', filter: { 'idx.mixed': { $gte: '' } }, expected: ['o2', 'o6'] },
  { name: 'any number', filter: { 'idx.value': { $gte: -Number.MAX_VALUE } }, expected: ['o1', 'o2', 'o3', 'o6'] },
  { name: '$not of a comparison keeps rows without values', filter: { 'idx.value': { $not: { $lt: 5 } } }, expected: ['o1', 'o3', 'o4', 'o5'] },
  { name: '$or with $exists false', filter: { $or: [{ 'idx.value': { $lt: 3 } }, { 'idx.value': { $exists: false } }] }, expected: ['o2', 'o4'] },
  { name: '$size 0', filter: { 'idx.value': { $size: 0 } }, expected: ['o5'] },
  { name: '$size 2', filter: { 'sec.labels': { $size: 2 } }, expected: ['o2'] },
  { name: 'literal array equals the whole array', filter: { 'sec.labels': ['R', 'N'] }, expected: ['o2'] },
  { name: 'indexed scalar in an array of labels', filter: { 'sec.labels': 'N' }, expected: ['o1', 'o2', 'o6'] },
  {
    name: 'period overlap with $elemMatch',
    filter: { 'idx.date': { $elemMatch: { lo: { $lte: '2020-12-31T23:59:59.999Z' }, hi: { $gte: '2020-01-01T00:00:00.000Z' } } } },
    expected: ['o1', 'o5'],
  },
  {
    name: 'bounds on different periods without $elemMatch',
    filter: { 'idx.date.lo': { $lte: '2020-12-31T23:59:59.999Z' }, 'idx.date.hi': { $gte: '2020-01-01T00:00:00.000Z' } },
    expected: ['o1', 'o2', 'o5'],
  },
  { name: 'dotted path into an array of periods', filter: { 'idx.date.lo': '2021-03-01T00:00:00.000Z' }, expected: ['o2'] },
  { name: 'instant comparison as text', filter: { 'idx.date.lo': { $gte: '2022-12-31T23:00:00.000Z' } }, expected: ['o3'] },
  { name: 'row field lastUpdated', filter: { lastUpdated: { $gte: '2024-01-04T00:00:00.000Z' } }, expected: ['o4', 'o5', 'o6'] },
  { name: '$regex is case-sensitive', filter: { 'idx.name': { $regex: '^em' } }, expected: ['o1'] },
  { name: '$regex with option i', filter: { 'idx.name': { $regex: '^em', $options: 'i' } }, expected: ['o1', 'o6'] },
  { name: '$not $regex: no element matches', filter: { 'idx.code': { $not: { $regex: '^http' } } }, expected: ['o3', 'o4'] },
  { name: '$nor', filter: { $nor: [{ 'idx.patient': 'Patient/p1' }, { 'idx.status': 'final' }] }, expected: ['o4'] },
  { name: 'path into the resource itself', filter: { 'resource.id': { $in: ['o2', 'o7'] } }, expected: ['o2'] },
  { name: 'index lookup with an unindexed condition', filter: { 'idx.code': { $in: ['11488-4'] }, 'idx.value': { $lt: 6 } }, expected: ['o1'] },
  // sorts: ascending reads an array's smallest element, descending its largest; [] < missing/null
  { name: 'sort ascending on a multi-valued number', filter: {}, sort: [['idx.value', 1]], expected: ['o5', 'o4', 'o2', 'o6', 'o1', 'o3'] },
  { name: 'sort descending on a multi-valued number', filter: {}, sort: [['idx.value', -1]], expected: ['o6', 'o2', 'o3', 'o1', 'o4', 'o5'] },
  { name: 'sort strings by code point', filter: {}, sort: [['idx.name', 1]], expected: ['o6', 'o2', 'o1', 'o5', 'o3', 'o4'] },
  { name: 'sort ascending through an array of periods', filter: {}, sort: [['idx.date.lo', 1]], expected: ['o4', 'o6', 'o2', 'o1', 'o5', 'o3'] },
  { name: 'sort descending through an array of periods', filter: {}, sort: [['idx.date.lo', -1]], expected: ['o3', 'o2', 'o5', 'o1', 'o4', 'o6'] },
  { name: 'sort missing, then numbers, then strings', filter: {}, sort: [['idx.mixed', 1]], expected: ['o3', 'o4', 'o5', 'o1', 'o2', 'o6'] },
  { name: 'sort on lastUpdated, ties by id', filter: {}, sort: [['lastUpdated', -1]], expected: ['o6', 'o4', 'o5', 'o3', 'o2', 'o1'] },
  { name: 'sort on two keys', filter: {}, sort: [['sec.family', 1], ['lastUpdated', -1]], expected: ['o6', 'o3', 'o2', 'o4', 'o5', 'o1'] },
  { name: 'sort on a resource path', filter: { 'idx.patient': 'Patient/p1' }, sort: [['resource.meta.lastUpdated', -1]], expected: ['o5', 'o3', 'o1'] },
  { name: 'sort on id descending', filter: {}, sort: [['id', -1]], expected: ['o6', 'o5', 'o4', 'o3', 'o2', 'o1'] },
  { name: 'skip and limit after the sort', filter: {}, sort: [['idx.value', -1]], skip: 1, limit: 2, expected: ['o2', 'o3'] },
  { name: 'skip and limit in id order', filter: { 'idx.patient': 'Patient/p1' }, sort: [], skip: 1, limit: 1, expected: ['o3'] },
  { name: 'limit on an indexed filter', filter: { 'idx.code': '11488-4' }, sort: [['idx.value', -1]], limit: 2, expected: ['o3', 'o1'] },
  { name: 'skip past the end', filter: { 'idx.code': '11488-4' }, sort: [], skip: 5, expected: [] },
  { name: 'limit 0 returns no row', filter: {}, sort: [], limit: 0, expected: [] },
];

const ids = (rows: StoredRow[]) => rows.map((r) => r.id);
const T1 = '2024-02-01T00:00:00.000Z';
const T2 = '2024-02-02T00:00:00.000Z';
const T3 = '2024-02-03T00:00:00.000Z';
const versionsOf = (rows: StoredRow[]) => rows.map((r) => `${r.id}@${r.versionId}`);

function contract(engine: EngineUnderTest): void {
  let opened: OpenedStore | undefined;
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });
  const fresh = async (): Promise<Store> => (opened = await engine.open(CONTRACT_PLAN)).store;

  describe('find and count', () => {
    for (const c of CASES) {
      it(c.name, async () => {
        const store = await fresh();
        await seedContractRows(store);
        const found = ids(await store.find('Observation', { filter: c.filter, sort: c.sort, skip: c.skip, limit: c.limit }));
        if (c.sort) expect(found).toEqual(c.expected);
        else expect([...found].sort()).toEqual([...c.expected].sort());
        if (c.skip === undefined && c.limit === undefined) expect(await store.count('Observation', c.filter)).toBe(c.expected.length);
      });
    }
  });

  it('returns full rows from find, and never rows of another type', async () => {
    const store = await fresh();
    await seedContractRows(store);
    const [o1] = await store.find('Observation', { filter: { id: 'o1' } });
    expect(o1).toMatchObject({ type: 'Observation', id: 'o1', versionId: 1, deleted: false, resource: { resourceType: 'Observation', id: 'o1' } });
    expect(ids(await store.find('Patient', { filter: { 'idx.code': '11488-4' } }))).toEqual(['o1']);
  });

  it('writes nothing of a commit when one of its writes conflicts', async () => {
    const store = await fresh();
    await store.commit([{ row: row('Observation', 'a', 1, T1, { code: ['x'] }), expectedVersion: 0 }]);
    const attempt = store.commit([
      { row: row('Observation', 'b', 1, T2, { code: ['x'] }), expectedVersion: 0 },
      { row: row('Observation', 'a', 3, T2, { code: ['y'] }), expectedVersion: 2 },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ type: 'Observation', id: 'a', expected: 2, actual: 1 });
    expect(await store.read('Observation', 'b')).toBeUndefined();
    expect(await store.read('Observation', 'a')).toMatchObject({ versionId: 1, idx: { code: ['x'] } });
    expect(ids(await store.find('Observation', { filter: { 'idx.code': 'x' } }))).toEqual(['a']);
    expect(await store.historyCount('Observation', undefined, {})).toBe(1);
  });

  it('lets exactly one of two concurrent creates of the same id win', async () => {
    const store = await fresh();
    const results = await Promise.allSettled(
      ['first', 'second'].map((who) => store.commit([{ row: row('Observation', 'same', 1, T1, { code: [who] }), expectedVersion: 0 }])),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(VersionConflictError);
    const winner = results[0]!.status === 'fulfilled' ? 'first' : 'second';
    expect((await store.read('Observation', 'same'))?.idx).toEqual({ code: [winner] });
    expect(await store.historyCount('Observation', 'same', {})).toBe(1);
  });

  it('updates with the expected version, keeps the old one readable and refuses a stale writer', async () => {
    const store = await fresh();
    await store.commit([{ row: row('Observation', 'u', 1, T1, { code: ['old'] }), expectedVersion: 0 }]);
    await store.commit([{ row: row('Observation', 'u', 2, T2, { code: ['new'] }), expectedVersion: 1 }]);
    await expect(store.commit([{ row: row('Observation', 'u', 2, T3, { code: ['lost'] }), expectedVersion: 1 }])).rejects.toBeInstanceOf(VersionConflictError);
    expect(await store.read('Observation', 'u')).toMatchObject({ versionId: 2, idx: { code: ['new'] } });
    expect(await store.readVersion('Observation', 'u', 1)).toMatchObject({ versionId: 1, lastUpdated: T1, idx: { code: ['old'] } });
    expect(await store.readVersion('Observation', 'u', 3)).toBeUndefined();
    expect(ids(await store.find('Observation', { filter: { 'idx.code': 'old' } }))).toEqual([]);
    expect(ids(await store.find('Observation', { filter: { 'idx.code': 'new' } }))).toEqual(['u']);
  });

  it('hides tombstones from find and count but returns them from read', async () => {
    const store = await fresh();
    await seedContractRows(store);
    const gone = await store.read('Observation', 'o7');
    expect(gone).toMatchObject({ id: 'o7', versionId: 2, deleted: true });
    expect(gone).not.toHaveProperty('resource');
    expect(await store.readVersion('Observation', 'o7', 1)).toMatchObject({ deleted: false, resource: { id: 'o7' } });
    expect(await store.count('Observation', { 'idx.value': 100 })).toBe(0);
    expect(await store.find('Observation', { filter: { 'idx.patient': 'Patient/p1' }, sort: [['idx.value', -1]] }).then(ids)).toEqual(['o3', 'o1', 'o5']);
  });

  describe('history', () => {
    const seedHistory = async (store: Store) => {
      const h1 = row('Observation', 'h1', 1, T1, {});
      await store.commit([{ row: h1, expectedVersion: 0 }]);
      await store.commit([
        { row: row('Observation', 'h1', 2, T2, {}), expectedVersion: 1 },
        { row: row('Observation', 'h3', 1, T2, {}), expectedVersion: 0 },
        { row: row('Observation', 'h2', 1, T2, {}), expectedVersion: 0 },
      ]);
      await store.commit([{ row: tombstone(row('Observation', 'h1', 2, T2, {}), T3), expectedVersion: 2 }]);
      await store.commit([{ row: row('Patient', 'h1', 1, T3, {}), expectedVersion: 0 }]);
    };

    it('lists a type newest first: lastUpdated, then versionId descending, then id', async () => {
      const store = await fresh();
      await seedHistory(store);
      expect(versionsOf(await store.history('Observation', undefined, {}))).toEqual(['h1@3', 'h1@2', 'h2@1', 'h3@1', 'h1@1']);
      expect(await store.historyCount('Observation', undefined, {})).toBe(5);
    });

    it('lists one resource, tombstone included', async () => {
      const store = await fresh();
      await seedHistory(store);
      const rows = await store.history('Observation', 'h1', {});
      expect(versionsOf(rows)).toEqual(['h1@3', 'h1@2', 'h1@1']);
      expect(rows[0]).toMatchObject({ deleted: true });
      expect(await store.historyCount('Observation', 'h1', {})).toBe(3);
      expect(await store.history('Observation', 'nope', {})).toEqual([]);
    });

    it('honours since (inclusive), before (exclusive), skip and limit', async () => {
      const store = await fresh();
      await seedHistory(store);
      const cases: Array<[Parameters<Store['history']>[2], string[]]> = [
        [{ since: T2 }, ['h1@3', 'h1@2', 'h2@1', 'h3@1']],
        [{ before: T2 }, ['h1@1']],
        [{ since: T2, before: T3 }, ['h1@2', 'h2@1', 'h3@1']],
        [{ skip: 1, limit: 2 }, ['h1@2', 'h2@1']],
        [{ since: T1, skip: 4 }, ['h1@1']],
        [{ limit: 0 }, []],
      ];
      for (const [query, expected] of cases) {
        expect(versionsOf(await store.history('Observation', undefined, query)), JSON.stringify(query)).toEqual(expected);
      }
      expect(await store.historyCount('Observation', undefined, { since: T2, before: T3 })).toBe(3);
      expect(versionsOf(await store.history('Observation', 'h1', { since: T2, limit: 1 }))).toEqual(['h1@3']);
      expect(await store.historyCount('Observation', 'h1', { before: T3 })).toBe(2);
    });
  });

  it('purges every version of the given resources and nothing else', async () => {
    const store = await fresh();
    await seedContractRows(store);
    await store.commit([{ row: row('Observation', 'o1', 2, '2024-03-01T00:00:00.000Z', { code: ['11488-4'] }), expectedVersion: 1 }]);
    await store.purge('Observation', ['o1', 'o7', 'never-existed']);
    expect(await store.read('Observation', 'o1')).toBeUndefined();
    expect(await store.readVersion('Observation', 'o1', 1)).toBeUndefined();
    expect(await store.readVersion('Observation', 'o7', 2)).toBeUndefined();
    expect(await store.history('Observation', 'o1', {})).toEqual([]);
    expect(await store.historyCount('Observation', undefined, {})).toBe(5);
    expect(ids(await store.find('Observation', { filter: { 'idx.code': '11488-4' } })).sort()).toEqual(['o3', 'o4']);
    expect(await store.read('Patient', 'o1')).toMatchObject({ type: 'Patient', id: 'o1' });
    await store.commit([{ row: row('Observation', 'o1', 1, '2024-03-02T00:00:00.000Z', { code: ['again'] }), expectedVersion: 0 }]);
    expect(ids(await store.find('Observation', { filter: { 'idx.code': 'again' } }))).toEqual(['o1']);
  });

  it('returns fresh objects, unaffected by what callers do with theirs', async () => {
    const store = await fresh();
    const written = row('Observation', 'f', 1, T1, { code: ['kept'] }, { labels: ['N'] });
    await store.commit([{ row: written, expectedVersion: 0 }]);
    written.idx.code!.push('mutated after commit');
    const first = (await store.read('Observation', 'f'))!;
    first.idx.code!.push('mutated after read');
    (first.sec.labels as string[]).length = 0;
    const again = (await store.read('Observation', 'f'))!;
    expect(again.idx).toEqual({ code: ['kept'] });
    expect(again.sec).toEqual({ labels: ['N'] });
    expect(again).not.toBe(first);
  });

  it('stores no key for an undefined value', async () => {
    const store = await fresh();
    const written = row('Observation', 'u', 1, T1, { code: ['x'] }, { flag: undefined, kept: true });
    (written.resource as unknown as Record<string, unknown>).status = undefined;
    await store.commit([{ row: written, expectedVersion: 0 }]);
    const back = (await store.read('Observation', 'u'))!;
    expect(Object.keys(back.sec)).toEqual(['kept']);
    expect(back.resource).not.toHaveProperty('status');
    expect(await store.read('Observation', 'missing')).toBeUndefined();
  });

  describe('maintenance', () => {
    const T4 = '2024-02-04T00:00:00.000Z';

    it('rewrites idx and sec of every version in place, leaving versions, times and resources as they were', async () => {
      const store = await fresh();
      await seedContractRows(store);
      await store.commit([{ row: row('Observation', 'o1', 2, T4, { code: ['11488-4'] }, { patient: 'Patient/p1', family: 'report' }), expectedVersion: 1 }]);
      const before = [(await store.readVersion('Observation', 'o1', 1))!, (await store.read('Observation', 'o1'))!];
      await store.rewrite([
        { type: 'Observation', id: 'o1', versionId: 1, idx: { code: ['old-rewritten'] }, sec: { patient: 'Patient/p1', family: 'lab' } },
        { type: 'Observation', id: 'o1', versionId: 2, idx: { code: ['new-rewritten'] }, sec: { patient: 'Patient/p1', family: 'lab', labels: ['R'] } },
      ]);
      const v1 = (await store.readVersion('Observation', 'o1', 1))!;
      const current = (await store.read('Observation', 'o1'))!;
      expect(v1).toEqual({ ...before[0], idx: { code: ['old-rewritten'] }, sec: { patient: 'Patient/p1', family: 'lab' } });
      expect(current).toEqual({ ...before[1], idx: { code: ['new-rewritten'] }, sec: { patient: 'Patient/p1', family: 'lab', labels: ['R'] } });
      expect(await store.readVersion('Observation', 'o1', 2)).toEqual(current);
      expect(await store.historyCount('Observation', 'o1', {})).toBe(2);
      expect(versionsOf(await store.history('Observation', undefined, { since: T4 }))).toEqual(['o1@2']);
      // the indexes follow: the current row is found by its new values only
      expect(ids(await store.find('Observation', { filter: { 'idx.code': 'new-rewritten' } }))).toEqual(['o1']);
      expect(ids(await store.find('Observation', { filter: { 'sec.labels': 'R' } })).sort()).toEqual(['o1', 'o2']);
      expect(ids(await store.find('Observation', { filter: { 'idx.code': '11488-4' } })).sort()).toEqual(['o3', 'o4']);
      expect(await store.count('Observation', { 'sec.family': 'lab', 'sec.patient': 'Patient/p1' })).toBe(2);
      // an update after a rewrite still sees the rewritten version as current
      await store.commit([{ row: row('Observation', 'o1', 3, '2024-02-05T00:00:00.000Z', { code: ['after'] }), expectedVersion: 2 }]);
      expect(ids(await store.find('Observation', { filter: { 'idx.code': 'new-rewritten' } }))).toEqual([]);
    });

    it('rewrites an older version without touching the current row', async () => {
      const store = await fresh();
      await store.commit([{ row: row('Observation', 'v', 1, T1, { code: ['one'] }, { family: 'a' }), expectedVersion: 0 }]);
      await store.commit([{ row: row('Observation', 'v', 2, T2, { code: ['two'] }, { family: 'b' }), expectedVersion: 1 }]);
      await store.rewrite([{ type: 'Observation', id: 'v', versionId: 1, idx: { code: ['uno'] }, sec: { family: 'c' } }]);
      expect(await store.readVersion('Observation', 'v', 1)).toMatchObject({ lastUpdated: T1, idx: { code: ['uno'] }, sec: { family: 'c' } });
      expect(await store.read('Observation', 'v')).toMatchObject({ versionId: 2, idx: { code: ['two'] }, sec: { family: 'b' } });
      expect(ids(await store.find('Observation', { filter: { 'idx.code': 'uno' } }))).toEqual([]);
      expect(ids(await store.find('Observation', { filter: { 'idx.code': 'two' } }))).toEqual(['v']);
    });

    it('rewrites a tombstone and keeps it hidden, and skips versions that do not exist', async () => {
      const store = await fresh();
      await seedContractRows(store);
      await store.rewrite([
        { type: 'Observation', id: 'o7', versionId: 2, idx: { code: ['gone'] }, sec: { patient: 'Patient/p9' } },
        { type: 'Observation', id: 'o7', versionId: 3, idx: { code: ['never'] }, sec: {} },
        { type: 'Observation', id: 'nope', versionId: 1, idx: { code: ['never'] }, sec: {} },
      ]);
      const gone = (await store.read('Observation', 'o7'))!;
      expect(gone).toMatchObject({ versionId: 2, deleted: true, idx: { code: ['gone'] }, sec: { patient: 'Patient/p9' } });
      expect(gone).not.toHaveProperty('resource');
      expect(await store.count('Observation', { 'idx.code': 'gone' })).toBe(0);
      expect(await store.readVersion('Observation', 'o7', 3)).toBeUndefined();
      expect(await store.read('Observation', 'nope')).toBeUndefined();
      expect(await store.historyCount('Observation', undefined, {})).toBe(8);
    });

    it('refuses a malformed rewrite before writing any row of it', async () => {
      const store = await fresh();
      await seedContractRows(store);
      const attempt = store.rewrite([
        { type: 'Observation', id: 'o1', versionId: 1, idx: { code: ['changed'] }, sec: {} },
        { type: 'Observation', id: 'o2', versionId: 0, idx: {}, sec: {} },
      ]);
      await expect(attempt).rejects.toThrow(/versionId/);
      expect(await store.read('Observation', 'o1')).toMatchObject({ idx: { patient: ['Patient/p1'] }, sec: { family: 'report' } });
      expect(await store.count('Observation', { 'idx.code': 'changed' })).toBe(0);
    });

    it('scans current rows of one type by ascending id in pages, tombstones included', async () => {
      const store = await fresh();
      await seedContractRows(store);
      const seen: string[] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await store.scan('Observation', { afterId, limit: 3 });
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(3);
        seen.push(...versionsOf(page));
        afterId = page.at(-1)!.id;
      }
      expect(seen).toEqual(['o1@1', 'o2@1', 'o3@1', 'o4@1', 'o5@1', 'o6@1', 'o7@2']);
      const [first] = await store.scan('Observation', { limit: 1 });
      expect(first).toEqual(await store.read('Observation', 'o1'));
      expect(versionsOf(await store.scan('Observation', { afterId: 'o5', limit: 10 }))).toEqual(['o6@1', 'o7@2']);
      expect(versionsOf(await store.scan('Observation', { afterId: 'o45', limit: 1 }))).toEqual(['o5@1']);
      expect(versionsOf(await store.scan('Patient', { limit: 10 }))).toEqual(['o1@1']);
      expect(await store.scan('Observation', { limit: 0 })).toEqual([]);
      expect(await store.scan('Organization', { limit: 10 })).toEqual([]);
    });

    it('keeps meta values by key, absent until set, overwritten by a later set', async () => {
      const store = await fresh();
      expect(await store.getMeta('profiles-hash')).toBeUndefined();
      await store.setMeta('profiles-hash', 'abc');
      await store.setMeta('other', 'x');
      expect(await store.getMeta('profiles-hash')).toBe('abc');
      await store.setMeta('profiles-hash', 'def');
      expect(await store.getMeta('profiles-hash')).toBe('def');
      expect(await store.getMeta('other')).toBe('x');
      // meta is no resource: no type sees it
      expect(await store.historyCount('Observation', undefined, {})).toBe(0);
    });
  });

  it('answers ping while open', async () => {
    const store = await fresh();
    await expect(store.ping()).resolves.toBeUndefined();
  });
}

describe('store contract: embedded', () => contract(EMBEDDED));
describe.skipIf(!MONGODB.enabled)('store contract: mongodb', () => contract(MONGODB));
