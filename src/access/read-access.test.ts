import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, readById, type AccessTestStore, type CallerName } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/**
 * Read by id (and so vread and history, D23) through `authorizeRead`: the status and the rule that
 * decided, in the D10 order: 403 role × type, 409 DMP state, then 404 for whatever the holder's
 * rules hide (the same answer as an unknown id).
 */

const CASES: Array<[name: string, caller: CallerName, type: string, id: string, status: number, rule?: string]> = [
  ['R4.3 a podiatrist gets 404 on a psychiatric hospital report', 'podiatrist', 'DocumentReference', 'a-psy-report', 404, 'R4.2'],
  ['R4.2 a nurse gets 404 on a family the matrix denies', 'nurse', 'DocumentReference', 'a-psy-report', 404, 'R4.2'],
  ['R5.1 a nurse gets 404 on a document masked to professionals', 'nurse', 'DocumentReference', 'a-lab-masked', 404, 'R5.1'],
  ['R5.1 the DMP GP reads a masked document', 'gp', 'DocumentReference', 'a-lab-masked', 200],
  ['R5.1 the author reads the document they masked', 'author', 'DocumentReference', 'a-lab-masked', 200],
  ['R3.7 a professional without authorisation gets 404', 'stranger', 'DocumentReference', 'a-report', 404, 'R3.7'],
  ['R3.4 a blocked professional gets 404', 'blocked', 'DocumentReference', 'a-report', 404, 'R3.4'],
  ['R3.4 a blocked professional gets 404 even with break-glass', 'blockedBreakGlass', 'DocumentReference', 'a-report', 404, 'R3.4'],
  ['R6.1 break-glass reads a document of a patient who did not oppose it', 'strangerBreakGlass', 'DocumentReference', 'a-report', 200],
  ['R3.5 break-glass on a patient who opposed emergency access is 403', 'strangerBreakGlass', 'DocumentReference', 'b-report', 403, 'R3.5'],
  ['R3.5 a regulator on a patient who opposed emergency access is 403', 'regulator', 'DocumentReference', 'b-report', 403, 'R3.5'],
  ['R6.3 a regulator gets 404 on a masked document', 'regulator', 'DocumentReference', 'a-lab-masked', 404, 'R5.1'],
  ['R9.2 a professional reading a closed DMP gets 409', 'nurse', 'DocumentReference', 'c-report', 409, 'R9.2'],
  ['R2.1 reading where no DMP was ever opened gets 409', 'nurse', 'DocumentReference', 'e-report', 409, 'R2.1'],
  ['R5.3 the holder gets 404 on an unreleased result', 'alice', 'DocumentReference', 'a-invisible-new', 404, 'R5.3'],
  ['R5.3 the holder reads a result released one month after deposit', 'alice', 'DocumentReference', 'a-invisible-old', 200],
  ['R7.1 the holder reads a document masked to professionals', 'alice', 'DocumentReference', 'a-lab-masked', 200],
  ['R7.1 a holder gets 404, not 409, on another patient’s closed DMP', 'alice', 'DocumentReference', 'c-report', 404, 'R7.1'],
  ['R5.4 a rep gets 404 on a document hidden from reps', 'danMother', 'DocumentReference', 'd-hidden-from-reps', 404, 'R5.4'],
  ['R5.4 professionals read a document hidden from reps', 'nurse', 'DocumentReference', 'd-hidden-from-reps', 200],
  ['R7.5 a rep gets 404 on an unreleased result of the minor', 'danMother', 'DocumentReference', 'd-invisible-new', 404, 'R5.3'],
  ['R7.5 a rep reads the minor’s document', 'danMother', 'DocumentReference', 'd-report', 200],
  ['R7.5 a rep of a holder who turned 18 gets 404', 'fayFather', 'DocumentReference', 'f-report', 404, 'R7.5'],
  ['R8.2 a delegate reading gets 403', 'delegate', 'DocumentReference', 'a-report', 403, 'R8.2'],
  ['R1.3 occupational medicine reading gets 403', 'occupational', 'DocumentReference', 'a-report', 403, 'R1.3'],
  ['R8.6 a pharmacist reads reimbursement data', 'pharmacist', 'DocumentReference', 'a-reimbursement', 200],
  ['R3.7 a professional without access gets 404 on the Patient', 'nurse', 'Patient', 'bob', 404, 'R3.7'],
  ['R3.4 a blocked professional gets 404 on the Patient', 'blocked', 'Patient', 'alice', 404, 'R3.4'],
  ['R8.7 reception reads a Patient by id', 'reception', 'Patient', 'bob', 200],
  ['D20 reception gets 404 on access choices', 'reception', 'Consent', 'choices-alice', 404, 'D20'],
  ['D20 a professional reads whether a DMP is open', 'nurse', 'Consent', 'open-bob', 200],
  ['R7.1 the holder reads their access choices', 'alice', 'Consent', 'choices-alice', 200],
  ['D15 a Binary is readable with its document', 'nurse', 'Binary', 'bin-a-report', 200],
  ['D15 R4.2 a Binary is 404 when its document’s family is denied', 'podiatrist', 'Binary', 'bin-a-report', 404, 'R4.2'],
  ['D15 R5.1 a Binary named by a masked document’s securityContext is 404', 'nurse', 'Binary', 'bin-a-masked', 404, 'R5.1'],
  ['D15 the DMP GP reads the Binary of a masked document', 'gp', 'Binary', 'bin-a-masked', 200],
  ['D15 a standalone Binary is readable by its creator', 'nurse', 'Binary', 'bin-standalone', 200],
  ['D15 a standalone Binary is 404 for anyone else', 'podiatrist', 'Binary', 'bin-standalone', 404, 'D15'],
  ['D15 R5.4 a rep gets 404 on the Binary of a document hidden from reps', 'danMother', 'Binary', 'bin-d-hidden', 404, 'R5.4'],
  ['R8.2 a delegate reading a Binary gets 403', 'delegate', 'Binary', 'bin-standalone', 403, 'R8.2'],
  ['R10.1 a professional reads their own trace', 'nurse', 'AuditEvent', 'audit-nurse', 200],
  ['R10.1 a professional gets 404 on another professional’s trace', 'nurse', 'AuditEvent', 'audit-gp', 404, 'R10.1'],
];

describe('read by id', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  for (const [name, caller, type, id, status, rule] of CASES) {
    it(name, async () => {
      expect(await readById(pipeline, fixture.store, CALLERS[caller], type, id)).toEqual(rule ? { status, rule } : { status });
    });
  }

  it('R5.5 a hidden document answers exactly like an unknown one', async () => {
    const row = (await fixture.store.read('DocumentReference', 'a-lab-masked'))!;
    const decision = await pipeline.authorizeRead(fixture.store, CALLERS.nurse, row);
    expect(decision.verdict.kind).toBe('reject');
    if (decision.verdict.kind !== 'reject') return;
    expect(decision.verdict.outcome.code).toBe('RESOURCE_NOT_FOUND');
    expect(decision.verdict.outcome.message).toBe('DocumentReference/a-lab-masked is not known');
  });

  it('D23 a deleted resource keeps the visibility of its last version', async () => {
    const live = (await fixture.store.read('DocumentReference', 'a-report'))!;
    const tombstone = { ...live, resource: undefined, deleted: true, versionId: live.versionId + 1 };
    expect((await pipeline.authorizeRead(fixture.store, CALLERS.nurse, tombstone)).verdict.kind).toBe('proceed');
    expect((await pipeline.authorizeRead(fixture.store, CALLERS.podiatrist, tombstone)).rule).toBe('R4.2');
  });
});
