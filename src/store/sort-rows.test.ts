import { describe, expect, it } from 'vitest';
import { compareBson, compareCodePoints } from './bson-order.js';
import { EMPTY_ARRAY, pathValues } from './path-values.js';
import { sortRows } from './sort-rows.js';

const doc = (id: string, fields: Record<string, unknown>) => ({ id, ...fields });
const order = (docs: Array<{ id: string }>) => docs.map((d) => d.id);

describe('MongoDB sort order', () => {
  it('compares strings by code point, not by UTF-16 unit', () => {
    // U+FF5E is one UTF-16 unit above the surrogates of U+1F600, yet a smaller code point
    expect(compareCodePoints('\uFF5E', '\u{1F600}')).toBeLessThan(0);
    expect('\uFF5E' < '\u{1F600}').toBe(false);
    expect(compareCodePoints('Z', 'a')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  });

  it('orders kinds: empty array, null, numbers, strings, objects, booleans', () => {
    const values = [true, { a: 1 }, 'a', 2, null, EMPTY_ARRAY];
    expect([...values].sort(compareBson)).toEqual([EMPTY_ARRAY, null, 2, 'a', { a: 1 }, true]);
  });

  it('sorts an array field by its smallest element ascending and its largest descending', () => {
    const docs = [doc('a', { v: [1, 10] }), doc('b', { v: [5] }), doc('c', { v: [3, 7] })];
    expect(order(sortRows(docs, [['v', 1]], (d) => d))).toEqual(['a', 'c', 'b']);
    expect(order(sortRows(docs, [['v', -1]], (d) => d))).toEqual(['a', 'c', 'b']);
    expect(order(sortRows([doc('a', { v: [1, 6] }), doc('b', { v: [5] })], [['v', -1]], (d) => d))).toEqual(['a', 'b']);
  });

  it('puts missing and null first ascending and last descending, empty arrays below them', () => {
    const docs = [doc('n', { v: null }), doc('m', {}), doc('e', { v: [] }), doc('one', { v: 1 })];
    expect(order(sortRows(docs, [['v', 1]], (d) => d))).toEqual(['e', 'm', 'n', 'one']);
    expect(order(sortRows(docs, [['v', -1]], (d) => d))).toEqual(['one', 'm', 'n', 'e']);
  });

  it('breaks ties by id ascending, in code point order', () => {
    const docs = [doc('b', { v: 1 }), doc('\u{1F600}', { v: 1 }), doc('a', { v: 1 }), doc('\uFF5E', { v: 1 })];
    expect(order(sortRows(docs, [['v', -1]], (d) => d))).toEqual(['a', 'b', '\uFF5E', '\u{1F600}']);
    expect(order(sortRows(docs, [], (d) => d))).toEqual(['a', 'b', '\uFF5E', '\u{1F600}']);
  });

  it('reads dotted paths through arrays of objects, a missing member counting as null', () => {
    expect(pathValues({ d: [{ lo: 'b' }, { lo: 'a' }, {}] }, ['d', 'lo'])).toEqual(['b', 'a', null]);
    expect(pathValues({ d: { lo: ['x', 'y'] } }, ['d', 'lo'])).toEqual(['x', 'y']);
    expect(pathValues({}, ['d', 'lo'])).toEqual([null]);
    expect(pathValues({ d: [] }, ['d'])).toEqual([EMPTY_ARRAY]);
  });
});
