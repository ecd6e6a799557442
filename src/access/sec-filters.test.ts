import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/**
 * ARCHITECTURE.md "Keep to an operator subset both engines honour": every fragment any caller gets
 * on any type uses only the operators the store contract suite covers, over `sec.*` and `id`.
 */

const OPERATORS = new Set(['$and', '$or', '$nor', '$not', '$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists', '$elemMatch']);

function check(filter: unknown, problems: string[], path = ''): void {
  if (Array.isArray(filter)) return filter.forEach((f, i) => check(f, problems, `${path}[${i}]`));
  if (!filter || typeof filter !== 'object') return;
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith('$')) {
      if (!OPERATORS.has(key)) problems.push(`${path}: operator ${key}`);
    } else if (!(key === 'id' || key.startsWith('sec.')) && !path.includes('.')) {
      problems.push(`${path}: field ${key}`);
    }
    check(value, problems, key.startsWith('$') ? path : `${path}.${key}`);
  }
}

describe('filter shapes', () => {
  let fixture: AccessTestStore;
  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  it('every fragment uses only contract operators over sec.* and id', async () => {
    const pipeline = createAccessPipeline({ clock: () => NOW });
    const problems: string[] = [];
    let fragments = 0;
    for (const caller of Object.values(CALLERS)) {
      for (const holders of [undefined, ['Patient/alice'], ['Patient/dan']]) {
        const decision = await pipeline.decide(fixture.store, caller, { interaction: 'search', type: 'Patient', ...(holders ? { holders } : {}) });
        for (const type of [...RESOURCE_TYPES, 'Communication']) {
          for (const { filter } of decision.fragments(type)) {
            fragments++;
            check(filter, problems);
          }
        }
      }
    }
    expect(fragments).toBeGreaterThan(100);
    expect(problems).toEqual([]);
  });
});
