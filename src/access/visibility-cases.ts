import type { CallerName } from './test-fixture.js';
import { ALICE_DOCS } from './test-scenario.js';

/**
 * The visibility matrix of DocumentReference searches (roles × labels × families), shared by
 * visibility.test.ts and by pipeline.test.ts, which proves that it fails with access switched off.
 */

const except = (...hidden: string[]) => ALICE_DOCS.filter((id) => !hidden.includes(id));
const DAN_DOCS = ['d-hidden-from-reps', 'd-invisible-new', 'd-masked', 'd-report'];
const MASKED_AT_ALICE = ['a-lab-masked', 'a-summary-masked-by-nurse'];

export interface VisibilityCase {
  name: string;
  caller: CallerName;
  holders?: string[];
  expected: string[] | { status: number; rule: string };
}

export const DOCUMENT_CASES: VisibilityCase[] = [
  {
    name: 'R3.3 a DMP GP sees every family of their patients, masked documents included',
    caller: 'gp',
    expected: [...ALICE_DOCS, ...DAN_DOCS, 'f-report'],
  },
  {
    name: 'R4.2 R5.1 a nurse sees the nurse families of her patients, not documents masked by others, and no closed DMP',
    caller: 'nurse',
    expected: ['a-invisible-new', 'a-invisible-old', 'a-lab', 'a-report', 'a-summary-masked-by-nurse', 'a-vaccination', 'a-vsm', 'a-wishes', 'd-hidden-from-reps', 'd-invisible-new', 'd-report'],
  },
  {
    name: 'R4.3 a pédicure-podologue never sees a psychiatric hospital report',
    caller: 'podiatrist',
    expected: ['a-vaccination', 'a-vsm', 'a-wishes'],
  },
  { name: 'R4.2 a physiotherapist sees imaging but not lab results', caller: 'physio', expected: ['a-imaging', 'a-report', 'a-vaccination', 'a-vsm', 'a-wishes'] },
  {
    name: 'R4.2 a pharmacist sees lab, treatments and reimbursement but no report',
    caller: 'pharmacist',
    expected: ['a-invisible-new', 'a-invisible-old', 'a-lab', 'a-reimbursement', 'a-vaccination', 'a-vsm', 'a-wishes'],
  },
  {
    name: 'R4.2 a psychiatric nurse sees mental-health documents a nurse does not',
    caller: 'psychiatricNurse',
    expected: ['a-invisible-new', 'a-invisible-old', 'a-lab', 'a-psy-report', 'a-psy-synthesis', 'a-report', 'a-vaccination', 'a-vsm', 'a-wishes'],
  },
  { name: 'R3.2 R5.1 the care team of an authorised structure sees all but masked documents', caller: 'hospitalDoctor', expected: except(...MASKED_AT_ALICE) },
  {
    name: 'R5.1 an author sees the document they masked, not one masked by someone else',
    caller: 'author',
    expected: [...except('a-summary-masked-by-nurse'), 'b-report'].sort(),
  },
  { name: 'R3.4 a blocked professional sees nothing, though also listed as authorised', caller: 'blocked', expected: [] },
  { name: 'R3.4 a blocked professional sees nothing even with break-glass', caller: 'blockedBreakGlass', holders: ['Patient/alice'], expected: [] },
  { name: 'R3.7 a professional with no authorisation sees nothing', caller: 'stranger', expected: [] },
  { name: 'R3.7 naming the patient does not help without authorisation', caller: 'stranger', holders: ['Patient/alice'], expected: [] },
  { name: 'R6.1 R6.3 break-glass opens the named patient, masked documents excepted', caller: 'strangerBreakGlass', holders: ['Patient/alice'], expected: except(...MASKED_AT_ALICE) },
  { name: 'R6.1 break-glass opens only the patients the request names', caller: 'strangerBreakGlass', expected: [] },
  { name: 'R3.5 break-glass on a patient who opposed emergency access is refused', caller: 'strangerBreakGlass', holders: ['Patient/bob'], expected: { status: 403, rule: 'R3.5' } },
  { name: 'R6.2 a regulator reaches the named patient like break-glass', caller: 'regulator', holders: ['Patient/alice'], expected: except(...MASKED_AT_ALICE) },
  { name: 'R3.5 a regulator is refused on a patient who opposed emergency access', caller: 'regulator', holders: ['Patient/bob'], expected: { status: 403, rule: 'R3.5' } },
  { name: 'R6.1 break-glass changes nothing for a patient who authorised the professional', caller: 'authorBreakGlass', holders: ['Patient/bob'], expected: ['b-report'] },
  { name: 'R1.3 occupational medicine never reads clinical data', caller: 'occupational', expected: { status: 403, rule: 'R1.3' } },
  { name: 'R9.2 a closed DMP gives a professional nothing (409)', caller: 'nurse', holders: ['Patient/carol'], expected: { status: 409, rule: 'R9.2' } },
  { name: 'R2.1 without a DMP nobody reads (409)', caller: 'nurse', holders: ['Patient/eve'], expected: { status: 409, rule: 'R2.1' } },
  { name: 'R7.1 R5.3 the holder sees everything but an unreleased result', caller: 'alice', expected: except('a-invisible-new') },
  { name: 'R7.5 R5.3 R5.4 a rep sees the minor’s documents but those hidden from reps or unreleased', caller: 'danMother', expected: ['d-masked', 'd-report'] },
  { name: 'R7.5 a rep whose period has ended sees nothing', caller: 'danFormerGuardian', expected: [] },
  { name: 'R7.5 a rep of a holder who turned 18 sees nothing', caller: 'fayFather', expected: [] },
  { name: 'R8.2 a delegate never reads', caller: 'delegate', expected: { status: 403, rule: 'R8.2' } },
  { name: 'R8.5 the insurer feed reads nothing', caller: 'insurerFeed', expected: { status: 403, rule: 'R8.5' } },
  { name: 'R8.7 reception reads no clinical data', caller: 'reception', expected: { status: 403, rule: 'R8.7' } },
  { name: 'R8.7 an insurer agent reads no clinical data', caller: 'insurerAgent', expected: { status: 403, rule: 'R8.7' } },
  { name: 'R1.4 the administrator reads no clinical data', caller: 'admin', expected: { status: 403, rule: 'R1.4' } },
];
