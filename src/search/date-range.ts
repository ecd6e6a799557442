import type { DateRange } from '../store/store.js';

/**
 * FHIR dates as ranges of UTC instants with millisecond precision, the only form the index and the
 * compiler compare (ISO strings of one fixed format sort as text). A value covers everything its
 * precision allows: `2019` is the whole year, `2019-03-01T10:00:00+01:00` one second.
 *
 * Values without a time zone (dates, and search values like `2019-03-01T10:00`) are read as UTC.
 * The spec lets a server assume its local time instead; UTC keeps a query's meaning independent of
 * where a node runs. The DMP's French calendar days are therefore 01:00 or 02:00 off at midnight,
 * which a client can avoid by sending a time zone.
 */

export const MIN_INSTANT = '0001-01-01T00:00:00.000Z';
export const MAX_INSTANT = '9999-12-31T23:59:59.999Z';

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const MIN_MS = Date.parse(MIN_INSTANT);
const MAX_MS = Date.parse(MAX_INSTANT);

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

export function instant(ms: number): string {
  return new Date(Math.min(MAX_MS, Math.max(MIN_MS, ms))).toISOString();
}

/** The offset in minutes of `Z`/`+hh:mm`/`-hh:mm`, or undefined when malformed. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z') return 0;
  const h = Number(zone.slice(1, 3));
  const m = Number(zone.slice(4, 6));
  if (h > 14 || m > 59 || (h === 14 && m > 0)) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (h * 60 + m);
}

/** The range of a FHIR date, dateTime or instant (or a search value of that form); undefined if invalid. */
export function parseDateRange(text: string): DateRange | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = m[2] === undefined ? undefined : Number(m[2]);
  const d = m[3] === undefined ? undefined : Number(m[3]);
  if (y < 1) return undefined;
  if (mo !== undefined && (mo < 1 || mo > 12)) return undefined;
  if (d !== undefined && (d < 1 || d > daysIn(y, mo!))) return undefined;
  if (mo === undefined) return { lo: instant(utc(y, 1, 1, 0, 0, 0, 0)), hi: instant(utc(y, 12, 31, 23, 59, 59, 999)) };
  if (d === undefined) return { lo: instant(utc(y, mo, 1, 0, 0, 0, 0)), hi: instant(utc(y, mo, daysIn(y, mo), 23, 59, 59, 999)) };
  if (m[4] === undefined) return { lo: instant(utc(y, mo, d, 0, 0, 0, 0)), hi: instant(utc(y, mo, d, 23, 59, 59, 999)) };

  const h = Number(m[4]);
  const mi = Number(m[5]);
  const rawSecond = m[6] === undefined ? undefined : Number(m[6]);
  if (h > 23 || mi > 59 || (rawSecond !== undefined && rawSecond > 60)) return undefined;
  const s = rawSecond === undefined ? undefined : Math.min(59, rawSecond); // a leap second counts as :59
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  const shift = offset * 60_000;
  if (s === undefined) {
    const lo = utc(y, mo, d, h, mi, 0, 0) - shift;
    return { lo: instant(lo), hi: instant(lo + 59_999) };
  }
  const fraction = m[7];
  const ms = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const span = fraction === undefined ? 999 : fraction.length >= 3 ? 0 : 10 ** (3 - fraction.length) - 1;
  const lo = utc(y, mo, d, h, mi, s, ms) - shift;
  return { lo: instant(lo), hi: instant(lo + span) };
}
