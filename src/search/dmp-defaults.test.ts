import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE, FIXTURES, NOW } from './compile-fixtures.js';
import { defaultSearchFilter } from './dmp-defaults.js';
import { parseSearch } from './parse.js';
import { openSearchTestStore, type SearchTestStore } from './test-store.js';

const request = (type: string, query: string) => parseSearch(type, [...new URLSearchParams(query)], { lenient: false });

describe('defaultSearchFilter', () => {
  let db: SearchTestStore;
  beforeAll(async () => {
    db = await openSearchTestStore(FIXTURES, { baseUrl: BASE, now: NOW });
  });
  afterAll(async () => db.close());

  it('leaves archived and superseded documents out of a default search (R7.3, R8.3)', async () => {
    const filter = defaultSearchFilter(request('DocumentReference', 'type:missing=false'))!;
    const rows = await db.store.find('DocumentReference', { filter });
    expect(rows.map((r) => r.id).sort()).toEqual(['d1', 'd3', 'd4', 'd5']); // d2 is archived and superseded
  });

  it('adds nothing when the query names isArchived or status', () => {
    expect(defaultSearchFilter(request('DocumentReference', 'isArchived=true'))).toBeUndefined();
    expect(defaultSearchFilter(request('DocumentReference', 'status=superseded'))).toBeUndefined();
  });

  it('still applies when status is only named inside a chain, and never to other types', () => {
    expect(defaultSearchFilter(request('DocumentReference', 'relatesto.status=current'))).toBeDefined();
    expect(defaultSearchFilter(request('List', 'status=current'))).toBeUndefined();
  });
});
