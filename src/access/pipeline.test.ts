import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline, type PipelineOptions } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, visible, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';
import { DOCUMENT_CASES } from './visibility-cases.js';

/**
 * Issue 5: "No test may pass with the interceptors switched off". The visibility matrix is run
 * again with the pipeline disabled (everything visible) and with no interceptor at all (deny by
 * default: nothing visible); every case whose expectation depends on the rules must then fail.
 */

async function failingCases(fixture: AccessTestStore, options: PipelineOptions): Promise<string[]> {
  const pipeline = createAccessPipeline({ clock: () => NOW, ...options });
  const failing: string[] = [];
  for (const c of DOCUMENT_CASES) {
    const seen = await visible(pipeline, fixture.store, CALLERS[c.caller], 'DocumentReference', c.holders ? { holders: c.holders, criteria: { 'idx.patient': { $in: c.holders } } } : {});
    const expected = Array.isArray(c.expected) ? { ids: [...c.expected].sort(), count: c.expected.length } : c.expected;
    if (JSON.stringify(seen) !== JSON.stringify(expected)) failing.push(c.name);
  }
  return failing;
}

describe('the access pipeline switched off', () => {
  let fixture: AccessTestStore;

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  it('disabled, every case of the visibility matrix fails but the one that expects all it asks for', async () => {
    const failing = await failingCases(fixture, { disabled: true });
    // asking for bob's documents, the author legitimately gets all of them: no rule to switch off there
    const expectsEverythingAsked = 'R6.1 break-glass changes nothing for a patient who authorised the professional';
    expect(failing).toEqual(DOCUMENT_CASES.map((c) => c.name).filter((name) => name !== expectsEverythingAsked));
  });

  it('with no interceptor, nothing is visible (deny by default) and every case expecting documents or a refusal fails', async () => {
    const failing = await failingCases(fixture, { interceptors: [] });
    const expectingSomething = DOCUMENT_CASES.filter((c) => !Array.isArray(c.expected) || c.expected.length > 0).map((c) => c.name);
    expect(failing).toEqual(expectingSomething);
    expect(await visible(createAccessPipeline({ interceptors: [] }), fixture.store, CALLERS.gp, 'DocumentReference')).toEqual({ ids: [], count: 0 });
  });
});
