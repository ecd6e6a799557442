import fc from 'fast-check';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import type { Filter } from '../store/store.js';
import { matchesDirectly, matchesRow } from './row-match.js';
import { anyOf, factIn, holderIn, holderNotIn, MATCH_NOTHING, withoutLabel } from './sec-filters.js';
import { and } from '../search/narrowed.js';

/**
 * The direct evaluation of access fragments agrees with mingo (the embedded store's matcher) on
 * every row, for every shape sec-filters.ts produces and their AND/OR combinations, and evaluates
 * those shapes itself rather than falling back.
 */

const HOLDERS = ['Patient/a', 'Patient/b', 'Patient/c'];
const LABELS = ['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'];
const DATES = ['2025-01-01T00:00:00.000Z', '2025-02-15T10:00:00.000Z', '2025-03-15T10:00:00.000Z'];

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const oneOrMany = (values: string[]) => fc.oneof(fc.constantFrom(...values), fc.subarray(values));

const row = fc
  .record({
    id: fc.constantFrom('r1', 'r2'),
    deleted: fc.boolean(),
    patient: optional(oneOrMany(HOLDERS)),
    labels: optional(fc.subarray(LABELS)),
    family: optional(fc.constantFrom('F1', 'F2')),
    deposited: optional(fc.constantFrom(...DATES)),
    category: optional(fc.constantFrom('dmp-creation', 'dmp-access')),
    personal: optional(fc.boolean()),
  })
  .map(({ id, deleted, ...sec }) => ({
    type: 'DocumentReference',
    id,
    deleted,
    sec: Object.fromEntries(Object.entries(sec).filter(([, v]) => v !== undefined)),
  }));

const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.subarray(HOLDERS).map(holderIn),
  fc.subarray(HOLDERS).map(holderNotIn),
  fc.subarray(['F1', 'F2', 'F3']).map((families) => factIn('family', families)),
  fc.constantFrom(...LABELS).map(withoutLabel),
  fc.constantFrom(...DATES).map((date) => ({ 'sec.deposited': { $lte: date } })),
  fc.constantFrom('dmp-creation', 'dmp-access').map((category) => ({ 'sec.category': category })),
  fc.boolean().map((personal) => ({ 'sec.personal': personal })),
  fc.constantFrom('r1', 'r2').map((id) => ({ id })),
  fc.constant(MATCH_NOTHING),
  fc.constant({}),
);

const filter = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map(anyOf),
    fc.array(tie('filter'), { minLength: 1, maxLength: 3 }).map((parts) => and(...parts)),
  ),
})).filter;

describe('matching access fragments on a row in hand', () => {
  it('agrees with mingo and needs no fallback for the fragments of sec-filters.ts', () => {
    fc.assert(
      fc.property(filter, row, (f, r) => {
        const mingo = new Query(f).test(r);
        expect(matchesDirectly(f, r)).toBe(mingo);
        expect(matchesRow(f, r)).toBe(mingo);
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves other shapes to mingo, with the same answers', () => {
    const doc = { id: 'x', sec: { patient: 'Patient/a', items: [{ code: 'a' }] }, deleted: false };
    const others: Filter[] = [
      { 'sec.patient': null },
      { 'sec.items.code': 'a' },
      { 'sec.patient': { $regex: '^Patient/' } },
      { $nor: [{ id: 'y' }] },
      { 'sec.patient': { $in: [null, 'Patient/b'] } },
    ];
    for (const f of others) {
      expect(matchesDirectly(f, doc)).toBeUndefined();
      expect(matchesRow(f, doc)).toBe(new Query(f).test(doc));
    }
    expect(matchesRow({ 'sec.items.code': 'a' }, doc)).toBe(true);
  });
});
