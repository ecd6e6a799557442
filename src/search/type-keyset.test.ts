import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { openEmbeddedStore } from '../store/embedded-store.js';
import type { Store, StoredRow } from '../store/store.js';
import { decodeTypedKey, encodeTypedKey, fetchAcrossTypes, signatureOf, type TypeQuery } from './type-keyset.js';

/** Paging $everything: (type order, id) keys across several types, on a real embedded store. */

const row = (type: string, id: string, holder: string): StoredRow => ({
  type,
  id,
  versionId: 1,
  lastUpdated: '2025-01-01T00:00:00.000Z',
  deleted: false,
  resource: { resourceType: type, id } as StoredRow['resource'],
  idx: {},
  sec: { patient: holder },
});

const ROWS = [
  row('Patient', 'alice', 'Patient/alice'),
  row('DocumentReference', 'd3', 'Patient/alice'),
  row('DocumentReference', 'd1', 'Patient/alice'),
  row('DocumentReference', 'd2', 'Patient/bob'),
  row('Consent', 'c1', 'Patient/alice'),
  row('Immunization', 'i1', 'Patient/alice'),
];
const QUERIES: TypeQuery[] = ['Patient', 'DocumentReference', 'Consent', 'Immunization'].map((type) => ({ type, filter: { 'sec.patient': 'Patient/alice' } }));

describe('fetchAcrossTypes', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-typekeys-'));
    store = await openEmbeddedStore({ dir, indexPlan: {} });
    await store.commit(ROWS.map((r) => ({ row: r, expectedVersion: 0 })));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const walk = async (count: number) => {
    const pages: string[][] = [];
    let page = await fetchAcrossTypes(store, QUERIES, count);
    pages.push(page.rows.map((r) => `${r.type}/${r.id}`));
    while (page.next) {
      page = await fetchAcrossTypes(store, QUERIES, count, page.next);
      pages.push(page.rows.map((r) => `${r.type}/${r.id}`));
    }
    return pages;
  };

  it('walks the types in order and ids ascending within each, pages crossing types', async () => {
    expect(await walk(2)).toEqual([
      ['Patient/alice', 'DocumentReference/d1'],
      ['DocumentReference/d3', 'Consent/c1'],
      ['Immunization/i1'],
    ]);
  });

  it('says there is no next page when the last row ends the last type exactly', async () => {
    expect(await walk(5)).toEqual([['Patient/alice', 'DocumentReference/d1', 'DocumentReference/d3', 'Consent/c1', 'Immunization/i1']]);
    expect((await fetchAcrossTypes(store, QUERIES, 0)).rows).toEqual([]);
  });

  it('keeps rows after the key in place when a row is added before it', async () => {
    const first = await fetchAcrossTypes(store, QUERIES, 2);
    await store.commit([{ row: row('DocumentReference', 'd0', 'Patient/alice'), expectedVersion: 0 }]);
    const second = await fetchAcrossTypes(store, QUERIES, 2, first.next);
    expect(second.rows.map((r) => r.id)).toEqual(['d3', 'c1']);
  });
});

describe('typed paging tokens', () => {
  const signature = signatureOf(['alice', ['Patient', 'DocumentReference'], null]);

  it('decode what they encode', () => {
    const token = encodeTypedKey({ type: 'DocumentReference', id: 'd1' }, signature);
    expect(decodeTypedKey(token, signature, ['Patient', 'DocumentReference'])).toEqual({ type: 'DocumentReference', id: 'd1' });
  });

  it('refuse a token of another request, another type list or garbage with 400', () => {
    const token = encodeTypedKey({ type: 'DocumentReference', id: 'd1' }, signature);
    const other = signatureOf(['bob', ['Patient', 'DocumentReference'], null]);
    const attempts = [
      () => decodeTypedKey(token, other, ['Patient', 'DocumentReference']),
      () => decodeTypedKey(token, signature, ['Patient']),
      () => decodeTypedKey('%%%', signature, ['Patient']),
      () => decodeTypedKey(Buffer.from('null').toString('base64url'), signature, ['Patient']),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(FhirError);
      try {
        attempt();
      } catch (err) {
        expect((err as FhirError).code).toBe('INVALID_CURSOR');
      }
    }
  });
});
