import type { CallerName } from './callers.js';
import { docsOf, type DocName, type Holder } from './scenario.js';

/**
 * The visibility table: one row per (rule, caller, holder) with what the caller must see of the
 * holder's DMP. interactions.ts turns each row into one case per interaction (read, vread, history,
 * Binary, search, `_summary=count`, `_include`, `_revinclude`, chaining, `_has`, compartment),
 * with exact id sets and totals. Names are those of scenario.ts.
 */

export interface Refusal {
  status: 403 | 404 | 409;
  /** `issue[0].details.coding[0].code` (CONVENTIONS rule 3). */
  code: string;
}

export interface RoleCase {
  /** The rules the row proves; the first one leads the test title. */
  rules: string[];
  who: string;
  caller: CallerName;
  holder: Holder;
  /** The holder's documents the caller finds when the request names the holder (search, compartment, reads). */
  sees: DocName[] | Refusal;
  /** Whether `Patient?_id=<holder>` finds the holder. */
  patient: boolean | Refusal;
  /** Whether `GET Patient/<holder>` reads it, when it differs from `patient` (D21: reception reads by id). */
  patientRead?: boolean;
  /** What a DocumentReference search naming no holder finds, across every holder. */
  everywhere: DocName[] | Refusal;
  /** Alice's AllergyIntolerance and Immunization the caller finds (`?patient=`). */
  others?: Array<'a-allergy' | 'a-immunization-masked' | 'a-immunization-unreleased'> | Refusal;
}

export const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && 'status' in value;

const forbidden = (code = 'ROLE_NOT_ALLOWED'): Refusal => ({ status: 403, code });
const conflict = (code: string): Refusal => ({ status: 409, code });

const ALICE = docsOf('alice');
const DAN = docsOf('dan');
const aliceBut = (...hidden: DocName[]) => ALICE.filter((d) => !hidden.includes(d));
const MASKED_AT_ALICE: DocName[] = ['a-report-masked', 'a-synthesis-masked-by-nurse'];

const NURSE_AT_ALICE: DocName[] = ['a-report', 'a-lab', 'a-lab-unreleased', 'a-synthesis-masked-by-nurse', 'a-vsm', 'a-wishes'];
const NURSE_AT_DAN: DocName[] = ['d-report', 'd-hidden-from-reps', 'd-unreleased'];
const NURSE_EVERYWHERE = [...NURSE_AT_ALICE, ...NURSE_AT_DAN];
const PHYSICIAN_EVERYWHERE: DocName[] = [...aliceBut('a-synthesis-masked-by-nurse'), 'b-report'];
const MOTHER_AT_DAN: DocName[] = ['d-report', 'd-masked', 'd-psy'];
/** Alice's AllergyIntolerance and Immunizations: one plain, one masked to professionals, one not yet released. */
const OTHERS_FOR_PS = ['a-allergy', 'a-immunization-unreleased'] as const;
const NOTHING: DocName[] = [];

export const ROWS: RoleCase[] = [
  // R3: professionals reaching the holder through her choices, bound by the matrix and masking
  { rules: ['R3.3', 'R4.4'], who: 'the DMP GP', caller: 'gp', holder: 'alice', sees: ALICE, patient: true, everywhere: [...ALICE, ...DAN], others: ['a-allergy', 'a-immunization-masked', 'a-immunization-unreleased'] },
  { rules: ['R3.3', 'R5.1'], who: "the minor's DMP GP", caller: 'gp', holder: 'dan', sees: DAN, patient: true, everywhere: [...ALICE, ...DAN] },
  { rules: ['R3.1', 'R5.1'], who: 'an authorised physician', caller: 'physician', holder: 'alice', sees: aliceBut('a-synthesis-masked-by-nurse'), patient: true, everywhere: PHYSICIAN_EVERYWHERE, others: [...OTHERS_FOR_PS] },
  { rules: ['R3.2', 'R5.1'], who: 'a physician of the authorised care structure', caller: 'hospitalDoctor', holder: 'alice', sees: aliceBut(...MASKED_AT_ALICE), patient: true, everywhere: aliceBut(...MASKED_AT_ALICE), others: [...OTHERS_FOR_PS] },
  { rules: ['R4.2', 'R5.1'], who: 'an authorised nurse (60)', caller: 'nurse', holder: 'alice', sees: NURSE_AT_ALICE, patient: true, everywhere: NURSE_EVERYWHERE, others: [...OTHERS_FOR_PS] },
  { rules: ['R4.3'], who: 'an authorised pédicure-podologue (80)', caller: 'podiatrist', holder: 'alice', sees: ['a-vsm', 'a-wishes'], patient: true, everywhere: ['a-vsm', 'a-wishes'], others: [...OTHERS_FOR_PS] },
  {
    rules: ['R4.2'],
    who: 'an authorised pharmacist (21)',
    caller: 'pharmacist',
    holder: 'alice',
    sees: ['a-lab', 'a-lab-unreleased', 'a-vsm', 'a-reimbursement', 'a-wishes'],
    patient: true,
    everywhere: ['a-lab', 'a-lab-unreleased', 'a-vsm', 'a-reimbursement', 'a-wishes'],
    others: [...OTHERS_FOR_PS],
  },
  { rules: ['R5.4'], who: 'a nurse authorised on the minor (the document hidden from reps included)', caller: 'nurse', holder: 'dan', sees: NURSE_AT_DAN, patient: true, everywhere: NURSE_EVERYWHERE },

  // R3.4, R3.7: no access
  { rules: ['R3.4'], who: 'a blocked professional, also listed as authorised', caller: 'blocked', holder: 'alice', sees: NOTHING, patient: false, everywhere: NOTHING, others: [] },
  { rules: ['R3.4', 'R6.1'], who: 'a blocked professional with ETREAT', caller: 'blockedBreakGlass', holder: 'alice', sees: NOTHING, patient: false, everywhere: NOTHING, others: [] },
  { rules: ['R3.7'], who: 'an unauthorised physician', caller: 'stranger', holder: 'alice', sees: NOTHING, patient: false, everywhere: NOTHING, others: [] },

  // R6: emergency access
  { rules: ['R6.1', 'R6.3'], who: 'an unauthorised physician with ETREAT', caller: 'strangerBreakGlass', holder: 'alice', sees: aliceBut(...MASKED_AT_ALICE), patient: true, everywhere: NOTHING, others: [...OTHERS_FOR_PS] },
  { rules: ['R3.5'], who: 'an unauthorised physician with ETREAT on a holder who opposed it', caller: 'strangerBreakGlass', holder: 'bob', sees: forbidden('EMERGENCY_ACCESS_OPPOSED'), patient: forbidden('EMERGENCY_ACCESS_OPPOSED'), everywhere: NOTHING },
  { rules: ['R6.2', 'R6.3'], who: 'a SAMU regulator', caller: 'regulator', holder: 'alice', sees: aliceBut(...MASKED_AT_ALICE), patient: true, everywhere: NOTHING, others: [...OTHERS_FOR_PS] },
  { rules: ['R3.5', 'R6.2'], who: 'a SAMU regulator on a holder who opposed emergency access', caller: 'regulator', holder: 'bob', sees: forbidden('EMERGENCY_ACCESS_OPPOSED'), patient: forbidden('EMERGENCY_ACCESS_OPPOSED'), everywhere: NOTHING },
  { rules: ['R6.1'], who: 'an authorised physician with ETREAT on a holder who opposed it', caller: 'physicianBreakGlass', holder: 'bob', sees: ['b-report'], patient: true, everywhere: PHYSICIAN_EVERYWHERE },

  // R7: the holder and the reps
  { rules: ['R7.1', 'R5.3'], who: 'the holder', caller: 'alice', holder: 'alice', sees: aliceBut('a-lab-unreleased'), patient: true, everywhere: aliceBut('a-lab-unreleased'), others: ['a-allergy', 'a-immunization-masked'] },
  { rules: ['R7.5', 'R5.3', 'R5.4'], who: "the minor's mother", caller: 'danMother', holder: 'dan', sees: MOTHER_AT_DAN, patient: true, everywhere: MOTHER_AT_DAN },
  { rules: ['R7.5'], who: "the minor's mother, on an adult who is not hers", caller: 'danMother', holder: 'alice', sees: NOTHING, patient: false, everywhere: MOTHER_AT_DAN, others: [] },
  { rules: ['R7.5'], who: 'a former guardian whose period has ended', caller: 'danFormerGuardian', holder: 'dan', sees: NOTHING, patient: false, everywhere: NOTHING },

  // R2.1, R9.2: the DMP's state
  { rules: ['R9.2'], who: 'a nurse authorised on a holder whose DMP is closed', caller: 'nurse', holder: 'carol', sees: conflict('DMP_CLOSED'), patient: true, everywhere: NURSE_EVERYWHERE },
  { rules: ['R9.2'], who: 'the holder of a closed DMP', caller: 'carol', holder: 'carol', sees: ['c-report'], patient: true, everywhere: ['c-report'] },
  { rules: ['R2.1'], who: 'a nurse naming a patient without a DMP', caller: 'nurse', holder: 'eve', sees: conflict('NO_OPEN_DMP'), patient: false, everywhere: NURSE_EVERYWHERE },

  // R1.3, R1.4, R8: roles that read no clinical data
  { rules: ['R1.3'], who: 'an authorised occupational physician (SM25)', caller: 'occupational', holder: 'alice', sees: forbidden(), patient: true, everywhere: forbidden(), others: forbidden() },
  { rules: ['R8.2'], who: 'a delegate', caller: 'delegate', holder: 'alice', sees: forbidden(), patient: forbidden(), everywhere: forbidden(), others: forbidden() },
  { rules: ['R8.7'], who: 'a reception agent', caller: 'reception', holder: 'alice', sees: forbidden(), patient: false, patientRead: true, everywhere: forbidden(), others: forbidden() },
  { rules: ['R8.7'], who: 'an insurer agent', caller: 'insurerAgent', holder: 'alice', sees: forbidden(), patient: false, patientRead: true, everywhere: forbidden(), others: forbidden() },
  { rules: ['R8.5'], who: 'the insurer feed', caller: 'insurerFeed', holder: 'alice', sees: forbidden(), patient: forbidden(), everywhere: forbidden(), others: forbidden() },
  { rules: ['R1.4'], who: 'the administrator', caller: 'admin', holder: 'alice', sees: forbidden(), patient: forbidden(), everywhere: forbidden(), others: forbidden() },
];

/** The rows of one concern, for one test file. */
const PROFESSIONALS = ['gp', 'physician', 'hospitalDoctor', 'nurse', 'podiatrist', 'pharmacist'];
const EMERGENCY_AND_NO_ACCESS = ['blocked', 'blockedBreakGlass', 'stranger', 'strangerBreakGlass', 'regulator', 'physicianBreakGlass'];
export const ROW_GROUPS = {
  /** Professionals: consent, matrix, masking, blocking, break-glass and regulator access (R3, R4, R5.1, R6). */
  professionals: ROWS.filter((r) => (PROFESSIONALS.includes(r.caller) && !isRefusal(r.sees)) || EMERGENCY_AND_NO_ACCESS.includes(r.caller)),
  /** Holders and reps (R7), the DMP's state (R2.1, R9.2), and the roles that read no clinical data (R1.3, R1.4, R8). */
  others: ROWS.filter((r) => !((PROFESSIONALS.includes(r.caller) && !isRefusal(r.sees)) || EMERGENCY_AND_NO_ACCESS.includes(r.caller))),
};
