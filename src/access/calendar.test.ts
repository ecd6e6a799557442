import { describe, expect, it } from 'vitest';
import { isMinorOn, oneMonthBefore, parisDay, withinPeriod } from './calendar.js';

describe('calendar of the access rules', () => {
  it('D34 counts days on the Paris calendar', () => {
    expect(parisDay(new Date('2025-01-31T22:59:00Z'))).toBe('2025-01-31');
    expect(parisDay(new Date('2025-01-31T23:00:00Z'))).toBe('2025-02-01');
    expect(parisDay(new Date('2025-07-31T22:00:00Z'))).toBe('2025-08-01');
  });

  it('R7.5 a holder is a minor until the day of their 18th birthday', () => {
    expect(isMinorOn('2007-03-15', '2025-03-14')).toBe(true);
    expect(isMinorOn('2007-03-15', '2025-03-15')).toBe(false);
  });

  it('R7.5 someone born on 29 February comes of age on 1 March of a common year', () => {
    expect(isMinorOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(isMinorOn('2008-02-29', '2026-03-01')).toBe(false);
  });

  it('R7.5 a partial birth date counts from its earliest day; none is no minor', () => {
    expect(isMinorOn('2007', '2025-01-01')).toBe(false);
    expect(isMinorOn('2007-06', '2025-05-31')).toBe(true);
    expect(isMinorOn(undefined, '2025-01-01')).toBe(false);
  });

  it('D34 a period given as dates covers whole Paris days', () => {
    expect(withinPeriod('2020-01-01', '2025-03-20', new Date('2025-03-20T22:59:00Z'))).toBe(true);
    expect(withinPeriod('2020-01-01', '2025-03-20', new Date('2025-03-20T23:00:00Z'))).toBe(false);
    expect(withinPeriod('2025-03-21', undefined, new Date('2025-03-20T23:30:00Z'))).toBe(true);
    expect(withinPeriod(undefined, '2025-03-20T12:00:00Z', new Date('2025-03-20T12:00:01Z'))).toBe(false);
  });

  it('R5.3 the release cut-off is one calendar month earlier, clamped to the shorter month', () => {
    expect(oneMonthBefore(new Date('2025-04-05T10:00:00.000Z'))).toBe('2025-03-05T10:00:00.000Z');
    expect(oneMonthBefore(new Date('2025-03-31T08:00:00.000Z'))).toBe('2025-02-28T08:00:00.000Z');
    expect(oneMonthBefore(new Date('2025-01-15T00:00:00.000Z'))).toBe('2024-12-15T00:00:00.000Z');
  });
});
