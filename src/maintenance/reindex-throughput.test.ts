import type { DocumentReference } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doc } from '../access/test-fixture.js';
import type { RowWrite } from '../store/store.js';
import { reindex } from './reindex.js';
import { nextVersion, openTempStore, type TempStore } from './test-store.js';

/**
 * The cost of `npm run reindex` on 10,000 versions (9,000 DocumentReferences, 1,000 of them
 * updated once) in the embedded store, every version stale: recomputing, rewriting, then a second
 * run that finds nothing to rewrite. Rates are printed; the assertions are about the outcome.
 */

const RESOURCES = 9_000;
const UPDATED = 1_000;
const T1 = new Date('2025-01-10T09:00:00.000Z');
const T2 = new Date('2025-02-10T09:00:00.000Z');
const TYPES: Array<[string, string]> = [
  ['http://loinc.org', '11502-2'], // lab
  ['http://loinc.org', '18748-4'], // imaging
  ['http://loinc.org', '11488-4'], // reports
];

function document(i: number): DocumentReference {
  return doc(`doc-${String(i).padStart(5, '0')}`, `p${i % 500}`, { type: [...TYPES[i % TYPES.length]!], authorRpps: `8100000${String(i % 97).padStart(5, '0')}` });
}

describe('reindex throughput', () => {
  let t: TempStore;
  beforeAll(async () => {
    t = await openTempStore();
    const stale = { sec: { family: 'stale-family' } };
    for (let start = 0; start < RESOURCES; start += 1_000) {
      const writes: RowWrite[] = [];
      for (let i = start; i < start + 1_000; i++) writes.push({ row: nextVersion(document(i), undefined, T1, stale), expectedVersion: 0 });
      await t.store.commit(writes);
    }
    const updates: RowWrite[] = [];
    for (let i = 0; i < UPDATED; i++) {
      const current = (await t.store.read('DocumentReference', document(i).id!))!;
      const updated: DocumentReference = { ...document(i), description: 'updated' };
      updates.push({ row: nextVersion(updated, current, T2, stale), expectedVersion: 1 });
    }
    await t.store.commit(updates);
  }, 120_000);
  afterAll(() => t.close());

  it('rewrites 10,000 stale versions, then finds them all up to date', async () => {
    let started = performance.now();
    const first = await reindex(t.store, { types: ['DocumentReference'] });
    const firstMs = performance.now() - started;
    expect(first).toEqual({ rows: RESOURCES, versions: RESOURCES + UPDATED, changed: RESOURCES + UPDATED });

    started = performance.now();
    const second = await reindex(t.store, { types: ['DocumentReference'] });
    const secondMs = performance.now() - started;
    expect(second).toEqual({ rows: RESOURCES, versions: RESOURCES + UPDATED, changed: 0 });

    expect(await t.store.count('DocumentReference', { 'sec.family': 'stale-family' })).toBe(0);
    expect(await t.store.count('DocumentReference', { 'sec.family': 'lab' })).toBe(RESOURCES / 3);
    expect((await t.store.readVersion('DocumentReference', 'doc-00000', 1))?.sec.family).toBe('lab');
    const rate = (versions: number, ms: number) => Math.round((versions * 1000) / ms);
    console.log(
      `reindex of ${first.versions} versions: ${Math.round(firstMs)} ms (${rate(first.versions, firstMs)} versions/s, all rewritten); ` +
        `again: ${Math.round(secondMs)} ms (${rate(second.versions, secondMs)} versions/s, none rewritten)`,
    );
  }, 120_000);
});
