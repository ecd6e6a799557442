import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, type AccessTestStore, type CallerName } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/** D28: `explainAccess` answers canSee and the deciding rule by running the read pipeline for the actor. */

const CASES: Array<[name: string, actor: CallerName, id: string, canSee: boolean, rule: string]> = [
  ['R5.1 a nurse cannot see a document masked to professionals', 'nurse', 'a-lab-masked', false, 'R5.1'],
  ['R3.3 the DMP GP sees it', 'gp', 'a-lab-masked', true, 'R3.3'],
  ['R3.1 an authorised author sees it', 'author', 'a-lab-masked', true, 'R3.1'],
  ['R3.2 the care team of an authorised structure sees a report', 'hospitalDoctor', 'a-report', true, 'R3.2'],
  ['R4.3 a podiatrist cannot see a psychiatric hospital report', 'podiatrist', 'a-psy-report', false, 'R4.2'],
  ['R3.4 a blocked professional cannot see anything', 'blocked', 'a-report', false, 'R3.4'],
  ['R3.7 an unauthorised professional cannot see it', 'stranger', 'a-report', false, 'R3.7'],
  ['R7.1 the holder sees their documents', 'alice', 'a-lab-masked', true, 'R7.1'],
  ['R5.4 a rep cannot see a document hidden from reps', 'danMother', 'd-hidden-from-reps', false, 'R5.4'],
];

describe('D28 explainAccess', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });
  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  for (const [name, actor, id, canSee, rule] of CASES) {
    it(name, async () => {
      const row = (await fixture.store.read('DocumentReference', id))!;
      expect(await pipeline.explain(fixture.store, row, CALLERS[actor])).toEqual({ canSee, rule });
    });
  }
});
