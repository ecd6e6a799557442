import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../store/embedded-store.js';
import type { SortSpec, Store, StoredRow } from '../store/store.js';
import { fetchPage, withIdTieBreak, type Page } from './paging.js';

/**
 * Keyset pages on a real embedded store, including sorts on multi-valued fields, where the
 * previous page cannot be read in reversed order and is located by counting instead.
 */

function row(id: string, names: string[], lastUpdated: string): StoredRow {
  return { type: 'Patient', id, versionId: 1, lastUpdated, deleted: false, idx: names.length ? { name: names } : {}, sec: {} };
}

const ROWS: StoredRow[] = [
  row('a', ['mia', 'bob'], '2024-01-01T00:00:00.000Z'),
  row('b', ['zoe'], '2024-01-02T00:00:00.000Z'),
  row('c', [], '2024-01-02T00:00:00.000Z'),
  row('d', ['bob'], '2024-01-03T00:00:00.000Z'),
  row('e', ['ana', 'zed'], '2024-01-04T00:00:00.000Z'),
  row('f', ['kim'], '2024-01-04T00:00:00.000Z'),
  row('g', [], '2024-01-05T00:00:00.000Z'),
];

describe('keyset pages', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-paging-'));
    store = await openEmbeddedStore({ dir, indexPlan: { Patient: ['idx.name'] } });
    await store.commit(ROWS.map((r) => ({ row: r, expectedVersion: 0 })));
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function walk(sort: SortSpec, count: number): Promise<{ forward: string[][]; backward: string[][] }> {
    const spec = withIdTieBreak(sort);
    const forward: Page[] = [];
    let page = await fetchPage(store, { type: 'Patient', filter: {}, sort: spec, count });
    forward.push(page);
    while (page.nextKey) {
      page = await fetchPage(store, { type: 'Patient', filter: {}, sort: spec, count, cursor: { direction: 'next', key: page.nextKey } });
      forward.push(page);
    }
    const backward: Page[] = [];
    let key = forward[forward.length - 1]!.previousKey;
    while (key) {
      const previous = await fetchPage(store, { type: 'Patient', filter: {}, sort: spec, count, cursor: { direction: 'previous', key } });
      backward.push(previous);
      key = previous.previousKey;
    }
    const ids = (pages: Page[]) => pages.map((p) => p.rows.map((r) => r.id));
    return { forward: ids(forward), backward: ids(backward) };
  }

  const SORTS: Array<[string, SortSpec, string[]]> = [
    // ascending on the smallest name: none first (c, g), then ana(e) bob(a) bob(d) kim(f) zoe(b)
    ['a multi-valued field ascending', [['idx.name', 1]], ['c', 'g', 'e', 'a', 'd', 'f', 'b']],
    // descending on the largest name: zoe(b) zed(e) mia(a) kim(f) bob(d), then none (c, g)
    ['a multi-valued field descending', [['idx.name', -1]], ['b', 'e', 'a', 'f', 'd', 'c', 'g']],
    ['a scalar field with ties', [['lastUpdated', -1]], ['g', 'e', 'f', 'd', 'b', 'c', 'a']],
  ];

  for (const [name, sort, order] of SORTS) {
    it(`returns every row once, forwards and backwards, on ${name}`, async () => {
      const { forward, backward } = await walk(sort, 2);
      expect(forward.flat()).toEqual(order);
      expect(forward.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(backward).toEqual(forward.slice(0, -1).reverse());
    });
  }

  it('returns no rows and no links for a page size of 0', async () => {
    expect(await fetchPage(store, { type: 'Patient', filter: {}, sort: withIdTieBreak([]), count: 0 })).toEqual({ rows: [] });
  });

  it('ends the id tie-break at an explicit id sort key', () => {
    expect(withIdTieBreak([['id', -1], ['lastUpdated', 1]])).toEqual([['id', -1]]);
    expect(withIdTieBreak([['lastUpdated', 1]])).toEqual([['lastUpdated', 1], ['id', 1]]);
  });
});
