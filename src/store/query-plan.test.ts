import { describe, expect, it } from 'vitest';
import { filterPaths, mayYieldDeadRows, planQuery } from './query-plan.js';

const indexed = new Set(['idx.code', 'idx.patient', 'sec.patient']);
const plan = (filter: Record<string, unknown>) => planQuery(filter, (field) => indexed.has(field));

describe('query planner', () => {
  it('answers a token equality from the index, exactly', () => {
    expect(plan({ 'idx.code': 'http://loinc.org|11488-4' })).toEqual({
      node: { kind: 'postings', field: 'idx.code', values: ['http://loinc.org|11488-4'] },
      exact: true,
    });
  });

  it('turns $eq and $in into lookups, dropping repeated values', () => {
    expect(plan({ 'idx.patient': { $in: ['Patient/p1', 'Patient/p1', 'Patient/p2'] } }).node).toEqual({
      kind: 'postings',
      field: 'idx.patient',
      values: ['Patient/p1', 'Patient/p2'],
    });
    expect(plan({ 'idx.code': { $eq: 5 } }).node).toEqual({ kind: 'postings', field: 'idx.code', values: [5] });
  });

  it('intersects the lookups of a top-level $and with the other top-level conditions', () => {
    const result = plan({ 'idx.code': 'x', $and: [{ 'sec.patient': 'Patient/p1' }, { 'idx.status': 'final' }] });
    expect(result.node).toEqual({
      kind: 'and',
      children: [
        { kind: 'postings', field: 'idx.code', values: ['x'] },
        { kind: 'postings', field: 'sec.patient', values: ['Patient/p1'] },
      ],
    });
    expect(result.exact).toBe(false);
  });

  it('unites an $or only when every branch has a lookup', () => {
    expect(plan({ $or: [{ 'idx.code': 'a' }, { id: 'r1' }] })).toEqual({
      node: { kind: 'or', children: [{ kind: 'postings', field: 'idx.code', values: ['a'] }, { kind: 'ids', ids: ['r1'] }] },
      exact: true,
    });
    expect(plan({ $or: [{ 'idx.code': 'a' }, { 'idx.status': 'final' }] })).toEqual({ node: undefined, exact: false });
  });

  it('scans when the only condition is on an unindexed field or is not an equality', () => {
    expect(plan({ 'idx.status': 'final' }).node).toBeUndefined();
    expect(plan({ 'idx.code': { $regex: '^http' } }).node).toBeUndefined();
    expect(plan({ 'idx.code': { $ne: 'x' } }).node).toBeUndefined();
    expect(plan({ $nor: [{ 'idx.code': 'x' }] }).node).toBeUndefined();
  });

  it('does not use the index for values it cannot hold (null, regex, objects, arrays, booleans)', () => {
    for (const value of [null, /x/, { lo: 'a' }, ['a'], true]) {
      expect(plan({ 'idx.code': value }).node, String(value)).toBeUndefined();
      expect(plan({ 'idx.code': { $in: ['a', value] } }).node, String(value)).toBeUndefined();
    }
  });

  it('keeps an index lookup beside other operators on the same field, but evaluates the rest', () => {
    expect(plan({ 'idx.code': { $in: ['a', 'b'], $ne: 'b' } })).toEqual({
      node: { kind: 'postings', field: 'idx.code', values: ['a', 'b'] },
      exact: false,
    });
  });

  it('reads ids from the primary key, which may hold tombstones', () => {
    const result = plan({ id: { $in: ['a', 'b', 3] } });
    expect(result.node).toEqual({ kind: 'ids', ids: ['a', 'b'] });
    expect(mayYieldDeadRows(result.node!)).toBe(true);
    expect(mayYieldDeadRows(plan({ id: 'a', 'idx.code': 'x' }).node!)).toBe(false);
    expect(mayYieldDeadRows(plan({ $or: [{ id: 'a' }, { 'idx.code': 'x' }] }).node!)).toBe(true);
  });

  it('treats an empty filter as an exact match of everything', () => {
    expect(plan({})).toEqual({ node: undefined, exact: true });
  });

  it('lists the paths a filter reads, through $and, $or and $nor', () => {
    const paths = filterPaths({ a: 1, $and: [{ 'b.c': 2 }, { $or: [{ d: 3 }] }], $nor: [{ e: { $elemMatch: { f: 1 } } }], $expr: {} });
    expect([...paths].sort()).toEqual(['$expr', 'a', 'b.c', 'd', 'e']);
  });
});
