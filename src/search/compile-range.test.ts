import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import type { Filter } from '../store/store.js';
import { dateRangeCondition, numberCondition } from './compile-range.js';
import { parseDateRange } from './date-range.js';
import { parseNumberRange } from './number-range.js';
import type { Prefix } from './parse-value.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const matches = (filter: Filter, element: object) => new Query({ v: { $elemMatch: filter } }).test({ v: [element] });

describe('date prefixes on ranges', () => {
  const day = parseDateRange('2019-03-01')!;
  const cases: Array<[Prefix, string, boolean]> = [
    ['eq', '2019-03-01T10:00:00Z', true],
    ['eq', '2019-03', false], // the month is wider than the day searched
    ['ne', '2019-03', true],
    ['gt', '2019-03-02T00:00:00Z', true],
    ['gt', '2019-03-01T23:59:59.999Z', false],
    ['lt', '2019-02-28T23:59:59.999Z', true],
    ['ge', '2019-03-01T00:00:00Z', true],
    ['ge', '2019-02', false],
    ['le', '2019-02', true], // starts before the day
    ['sa', '2019-03-02', true],
    ['sa', '2019-03-01T12:00:00Z', false],
    ['eb', '2019-02-28', true],
    ['eb', '2019-03', false],
  ];
  for (const [prefix, stored, expected] of cases) {
    it(`${prefix}2019-03-01 ${expected ? 'matches' : 'does not match'} a stored ${stored}`, () => {
      expect(matches(dateRangeCondition(prefix, day, NOW), parseDateRange(stored)!)).toBe(expected);
    });
  }

  it('ap widens the search range by a tenth of its distance to now', () => {
    const search = parseDateRange('2014-06-01')!; // ten years before NOW: a year of tolerance
    expect(matches(dateRangeCondition('ap', search, NOW), parseDateRange('2015-04-01')!)).toBe(true);
    expect(matches(dateRangeCondition('ap', search, NOW), parseDateRange('2016-01-01')!)).toBe(false);
  });
});

describe('number prefixes', () => {
  const stored = (text: string) => parseNumberRange(text)!;
  const cases: Array<[string, string, boolean]> = [
    ['100', '100', true],
    ['100', '100.2', true], // 100 stands for [99.5, 100.5]
    ['100', '100.6', false],
    ['100.0', '100.02', true],
    ['100.0', '100.2', false],
    ['gt100', '100.1', true],
    ['gt100', '100', false],
    ['le100', '100', true],
    ['ne100', '101', true],
    ['ap100', '108', true],
    ['ap100', '115', false],
    ['sa100', '101', true],
    ['eb100', '99', true],
  ];
  for (const [search, value, expected] of cases) {
    it(`${search} ${expected ? 'matches' : 'does not match'} a stored ${value}`, () => {
      const prefix = (/^[a-z]{2}/.exec(search)?.[0] ?? 'eq') as Prefix;
      const range = parseNumberRange(search.replace(/^[a-z]{2}/, ''))!;
      expect(matches(numberCondition(prefix, range), stored(value))).toBe(expected);
    });
  }
});

describe('date ranges', () => {
  it('reads every precision, as UTC when no zone is given', () => {
    expect(parseDateRange('2024-02')).toEqual({ lo: '2024-02-01T00:00:00.000Z', hi: '2024-02-29T23:59:59.999Z' });
    expect(parseDateRange('2019-03-01T10:00')).toEqual({ lo: '2019-03-01T10:00:00.000Z', hi: '2019-03-01T10:00:59.999Z' });
    expect(parseDateRange('2019-03-01T10:00:00.5-02:30')).toEqual({ lo: '2019-03-01T12:30:00.500Z', hi: '2019-03-01T12:30:00.599Z' });
    expect(parseDateRange('0001')?.lo).toBe('0001-01-01T00:00:00.000Z');
  });

  it('refuses impossible dates', () => {
    for (const bad of ['2023-02-29', '2019-00', '2019-04-31', '0000', '2019-03-01T10:60', '2019-03-01T10:00:00+14:30']) expect(parseDateRange(bad)).toBeUndefined();
  });
});
