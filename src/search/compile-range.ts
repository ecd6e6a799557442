import type { DateRange, Filter } from '../store/store.js';
import { instant } from './date-range.js';
import type { NumberRange } from './number-range.js';
import type { Prefix } from './parse-value.js';

/**
 * The prefixes of FHIR search (R4 §3.1.1.4.1) on ranges. A stored date is a range [lo, hi]; the search
 * value is a range [slo, shi] by its precision:
 *   eq  the search range contains the stored range   slo <= lo and hi <= shi
 *   ne  it does not                                   lo < slo or hi > shi
 *   gt  the stored range reaches above the search one hi > shi
 *   lt  the stored range reaches below it             lo < slo
 *   ge  gt, or eq                                     hi > shi or (slo <= lo and hi <= shi)
 *   le  lt, or eq                                     lo < slo or (slo <= lo and hi <= shi)
 *   sa  starts after the search range ends            lo > shi
 *   eb  ends before the search range starts           hi < slo
 *   ap  overlaps the search range widened by 10% of its distance to now (the spec's recommendation)
 * A resource matches when one of its stored values does ($elemMatch).
 */

const contained = (s: DateRange) => ({ lo: { $gte: s.lo }, hi: { $lte: s.hi } });

/** Widens a search range by 10% of the gap between now and the value. */
export function approximate(s: DateRange, now: Date): DateRange {
  const lo = Date.parse(s.lo);
  const hi = Date.parse(s.hi);
  const gap = Math.max(Math.abs(now.getTime() - lo), Math.abs(now.getTime() - hi));
  const delta = Math.round(gap * 0.1);
  return { lo: instant(lo - delta), hi: instant(hi + delta) };
}

/** The condition on one stored `{ lo, hi }` element (for `$elemMatch`). */
export function dateRangeCondition(prefix: Prefix, s: DateRange, now: Date): Filter {
  switch (prefix) {
    case 'eq':
      return contained(s);
    case 'ne':
      return { $or: [{ lo: { $lt: s.lo } }, { hi: { $gt: s.hi } }] };
    case 'gt':
      return { hi: { $gt: s.hi } };
    case 'lt':
      return { lo: { $lt: s.lo } };
    case 'ge':
      return { $or: [{ hi: { $gt: s.hi } }, contained(s)] };
    case 'le':
      return { $or: [{ lo: { $lt: s.lo } }, contained(s)] };
    case 'sa':
      return { lo: { $gt: s.hi } };
    case 'eb':
      return { hi: { $lt: s.lo } };
    case 'ap': {
      const wide = approximate(s, now);
      return { lo: { $lte: wide.hi }, hi: { $gte: wide.lo } };
    }
  }
}

/** The same table on a row field holding one instant (`lastUpdated`), where lo = hi. */
export function datePointFilter(field: string, prefix: Prefix, s: DateRange, now: Date): Filter {
  switch (prefix) {
    case 'eq':
      return { [field]: { $gte: s.lo, $lte: s.hi } };
    case 'ne':
      return { $or: [{ [field]: { $lt: s.lo } }, { [field]: { $gt: s.hi } }] };
    case 'gt':
    case 'sa':
      return { [field]: { $gt: s.hi } };
    case 'lt':
    case 'eb':
      return { [field]: { $lt: s.lo } };
    case 'ge':
      return { [field]: { $gte: s.lo } };
    case 'le':
      return { [field]: { $lte: s.hi } };
    case 'ap': {
      const wide = approximate(s, now);
      return { [field]: { $gte: wide.lo, $lte: wide.hi } };
    }
  }
}

/**
 * Numbers and quantities: equality and `ap` compare ranges by precision (`100` is [99.5, 100.5]);
 * the ordering prefixes compare the stored value itself, as the spec words them ("the value in the
 * resource is greater than the provided value").
 */
export function numberCondition(prefix: Prefix, s: NumberRange): Filter {
  switch (prefix) {
    case 'eq':
      return { lo: { $gte: s.lo }, hi: { $lte: s.hi } };
    case 'ne':
      return { $or: [{ lo: { $lt: s.lo } }, { hi: { $gt: s.hi } }] };
    case 'gt':
      return { v: { $gt: s.v } };
    case 'lt':
      return { v: { $lt: s.v } };
    case 'ge':
      return { v: { $gte: s.v } };
    case 'le':
      return { v: { $lte: s.v } };
    case 'sa':
      return { v: { $gt: s.hi } };
    case 'eb':
      return { v: { $lt: s.lo } };
    case 'ap': {
      const delta = Math.abs(s.v) * 0.1;
      return { lo: { $lte: s.hi + delta }, hi: { $gte: s.lo - delta } };
    }
  }
}
