import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { sortRows } from '../store/sort-rows.js';
import type { SortSpec, StoredRow } from '../store/store.js';
import { after, before, sortValues } from './keyset.js';
import { withIdTieBreak } from './paging.js';

// A small deterministic generator: the same rows on every run, many shapes of multi-valued keys.
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function rows(count: number, seed: number): StoredRow[] {
  const next = random(seed);
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)]!;
  const years = ['2018', '2019', '2020', '2021'];
  return Array.from({ length: count }, (_, i) => {
    const idx: Record<string, unknown[]> = {};
    const dates = Math.floor(next() * 4);
    if (dates > 0) idx.date = Array.from({ length: dates }, () => ({ lo: pick(years), hi: `${pick(years)}-12-31` }));
    const names = Math.floor(next() * 3);
    if (names > 0) idx.name = Array.from({ length: names }, () => pick(['ana', 'bea', 'cle']));
    if (next() < 0.7) idx.rank = [pick([1, 2, 3])];
    return {
      type: 'Patient',
      id: `r${String(Math.floor(next() * 1000)).padStart(3, '0')}-${i}`,
      versionId: 1,
      lastUpdated: `2024-01-0${pick([1, 2, 3])}T00:00:00.000Z`,
      deleted: false,
      idx,
      sec: {},
    };
  });
}

const SPECS: SortSpec[] = [
  [],
  [['lastUpdated', -1]],
  [['idx.date.lo', 1]],
  [['idx.date.lo', -1]],
  [['idx.name', 1], ['lastUpdated', -1]],
  [['idx.name', -1], ['idx.date.lo', 1]],
  [['idx.rank', -1], ['idx.name', 1], ['idx.date.lo', -1]],
];

const ids = (list: StoredRow[]) => list.map((r) => r.id);

describe('keyset filters', () => {
  for (const raw of SPECS) {
    const spec = withIdTieBreak(raw);
    it(`select exactly the rows after and before any row when sorting by ${JSON.stringify(spec)}`, () => {
      const all = rows(60, 7 + spec.length);
      const ordered = sortRows(all, spec, (r) => r);
      ordered.forEach((anchor, position) => {
        const key = sortValues(anchor, spec);
        const later = sortRows(all.filter((r) => new Query(after(spec, key)).test(r as unknown as Record<string, unknown>)), spec, (r) => r);
        const earlier = sortRows(all.filter((r) => new Query(before(spec, key)).test(r as unknown as Record<string, unknown>)), spec, (r) => r);
        expect(ids(later)).toEqual(ids(ordered.slice(position + 1)));
        expect(ids(earlier)).toEqual(ids(ordered.slice(0, position)));
      });
    });
  }

  it('reads the smallest value of a multi-valued key ascending and the largest descending', () => {
    const row = rows(1, 1)[0]!;
    row.idx = { name: ['bea', 'ana', 'cle'] };
    expect(sortValues(row, [['idx.name', 1], ['idx.name', -1], ['idx.none', 1]])).toEqual(['ana', 'cle', null]);
  });
});
