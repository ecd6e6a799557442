import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, visible, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';
import { DOCUMENT_CASES } from './visibility-cases.js';

/**
 * Roles × labels × families: what each caller finds searching DocumentReference in the scenario
 * (test-scenario.ts), through a real embedded store with the pipeline's `narrow` ANDed into the
 * query. Exact id sets and exact counts (R5.5: totals see only what the caller may see).
 */

describe('who sees which DocumentReference', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  for (const c of DOCUMENT_CASES) {
    it(c.name, async () => {
      // naming holders, as `patient=` does: the criterion and the pipeline's targets together
      const options = c.holders ? { holders: c.holders, criteria: { 'idx.patient': { $in: c.holders } } } : {};
      const seen = await visible(pipeline, fixture.store, CALLERS[c.caller], 'DocumentReference', options);
      if (Array.isArray(c.expected)) expect(seen).toEqual({ ids: [...c.expected].sort(), count: c.expected.length });
      else expect(seen).toEqual(c.expected);
    });
  }

  it('R2.1 a search naming an open and a closed DMP proceeds and shows the open one only', async () => {
    const seen = await visible(pipeline, fixture.store, CALLERS.nurse, 'DocumentReference', {
      holders: ['Patient/alice', 'Patient/carol'],
      criteria: { 'idx.patient': { $in: ['Patient/alice', 'Patient/carol'] } },
    });
    expect(seen).toEqual({ ids: ['a-invisible-new', 'a-invisible-old', 'a-lab', 'a-report', 'a-summary-masked-by-nurse', 'a-vaccination', 'a-vsm', 'a-wishes'], count: 8 });
  });

  it('R5.5 a search criterion cannot reach past the narrowing (a podiatrist asking for mental-health by type)', async () => {
    const seen = await visible(pipeline, fixture.store, CALLERS.podiatrist, 'DocumentReference', {
      criteria: { 'idx.type': { $in: ['http://loinc.org|34112-3', 'http://loinc.org|68599-0'] } },
    });
    expect(seen).toEqual({ ids: [], count: 0 });
  });
});
