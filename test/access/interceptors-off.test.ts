import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { tableCases, type TableCase } from './interactions.js';
import { buildWorld, type World } from './scenario.js';
import { ROWS } from './table.js';

/**
 * Issue 5's proof that the tests bite: "No test may pass with the interceptors switched off". The
 * whole visibility table runs again against the same world seeded with `accessControl: false`
 * (tokens still verified, every rule off); a case "fails" when its expectation no longer holds.
 * Every rule group, every row and every interaction must lose cases, and most cases must fail. The
 * cases left standing are those of a caller who may see all that the path shows (the DMP GP on
 * every named path, a holder of a single-document DMP…): switching the rules off cannot show them more.
 */

const CASES = tableCases(ROWS);
const RULES = [...new Set(CASES.flatMap((c) => c.rules))].sort();

describe.each(STORE_KINDS)('with the interceptors switched off (%s store)', (kind) => {
  let world: World;
  const failing = new Set<TableCase>();
  beforeAll(async () => {
    world = await buildWorld(kind, { accessControl: false });
    for (const c of CASES) {
      if (!isDeepStrictEqual(await c.interaction.observe(world, c.row), c.interaction.expected(c.row))) failing.add(c);
    }
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it('seeds the same world (every seeding write accepted)', () => {
    expect(world.log.every((step) => step.status === 201 || step.status === 200)).toBe(true);
    expect(world.log.length).toBeGreaterThan(40);
  });

  it('fails most of the visibility table', () => {
    const share = failing.size / CASES.length;
    expect(share, `${failing.size} of ${CASES.length} cases fail`).toBeGreaterThan(0.8);
  });

  for (const rule of RULES) {
    it(`${rule}: cases of this rule fail once the rules are off`, () => {
      const group = CASES.filter((c) => c.rules.includes(rule));
      const lost = group.filter((c) => failing.has(c));
      expect(lost.length, `${lost.length} of ${group.length} ${rule} cases fail`).toBeGreaterThan(0);
    });
  }

  it('makes every row of the table (one rule, one caller) lose at least one case', () => {
    const rowsStanding = ROWS.filter((row) => !CASES.some((c) => c.row === row && failing.has(c)));
    expect(rowsStanding.map((r) => `${r.rules.join(' ')} ${r.who}`)).toEqual([]);
  });

  it('makes every interaction (read, vread, history, Binary, search, count, include, revinclude, chain, _has, compartment) lose cases', () => {
    const interactions = [...new Set(CASES.map((c) => c.interaction))];
    const intact = interactions.filter((i) => !CASES.some((c) => c.interaction === i && failing.has(c)));
    expect(intact.map((i) => i.name)).toEqual([]);
  });
});
