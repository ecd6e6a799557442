import type { AllergyIntolerance, AuditEvent, Immunization } from 'fhir/r4';
import {
  accessChoices,
  binary,
  CALLERS,
  daysBefore,
  dmpCreation,
  doc,
  HOSPITAL,
  patient,
  PSYCHIATRY,
  relatedPerson,
  RPPS,
  TRE_A05,
  type Seed,
} from './test-fixture.js';
import { RPPS_SYSTEM } from './codes.js';

/**
 * The DMP world of the access tests (NOW = 2025-03-15):
 * - alice, adult, open DMP; authorises the nurse, podiatrist, physio, pharmacist, author,
 *   occupational physician, psychiatric nurse and the hospital (FINESS); the GP is her DMP GP;
 *   she blocked `blocked` (also listed as authorised: blocking wins);
 * - bob, adult, open DMP, opposes emergency access, authorises `author`;
 * - carol, closed DMP, authorises the nurse; eve, no DMP at all;
 * - dan, a minor (born 2012-06-01), open DMP, GP and nurse; his mother is his rep, a former
 *   guardian's period has ended;
 * - fay turned 18 on 2025-03-10; her father's RelatedPerson no longer represents her.
 */

const loinc = (code: string): [string, string] => ['http://loinc.org', code];
const a05 = (code: string): [string, string] => [TRE_A05, code];

export const ALICE_DOCS = [
  'a-imaging',
  'a-invisible-new',
  'a-invisible-old',
  'a-lab',
  'a-lab-masked',
  'a-personal',
  'a-psy-report',
  'a-psy-synthesis',
  'a-reimbursement',
  'a-report',
  'a-summary-masked-by-nurse',
  'a-vaccination',
  'a-vsm',
  'a-wishes',
];

const audit = (id: string, rpps: string, holder: string): AuditEvent => ({
  resourceType: 'AuditEvent',
  id,
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
  recorded: '2025-03-01T10:00:00Z',
  agent: [{ requestor: true, who: { identifier: { system: RPPS_SYSTEM, value: rpps } } }],
  source: { observer: { display: 'dmp-fhir-server' } },
  entity: [{ what: { reference: `Patient/${holder}` } }],
});

const immunization: Immunization = {
  resourceType: 'Immunization',
  id: 'imm-alice',
  status: 'completed',
  vaccineCode: { text: 'DTP' },
  patient: { reference: 'Patient/alice' },
  occurrenceDateTime: '2020-01-01',
};
const allergy: AllergyIntolerance = { resourceType: 'AllergyIntolerance', id: 'allergy-alice', patient: { reference: 'Patient/alice' } };

export function scenario(): Seed[] {
  return [
    { resource: patient('alice', '1980-01-01') },
    { resource: patient('bob', '1975-05-05') },
    { resource: patient('carol', '1990-02-02') },
    { resource: patient('eve', '1985-03-03') },
    { resource: patient('dan', '2012-06-01') },
    { resource: patient('fay', '2007-03-10') },

    { resource: dmpCreation('open-alice', 'alice', 'active') },
    { resource: dmpCreation('open-bob', 'bob', 'active') },
    { resource: dmpCreation('closed-carol', 'carol', 'inactive') },
    { resource: dmpCreation('open-dan', 'dan', 'active', 'RelatedPerson/dan-mother') },
    { resource: dmpCreation('open-fay', 'fay', 'active') },

    {
      resource: accessChoices('choices-alice', 'alice', {
        permit: [RPPS.nurse, RPPS.podiatrist, RPPS.physio, RPPS.pharmacist, RPPS.author, RPPS.blocked, RPPS.occupational, RPPS.psychiatricNurse],
        structures: [HOSPITAL],
        gp: [RPPS.gp],
        blocked: [RPPS.blocked],
      }),
    },
    { resource: accessChoices('choices-bob', 'bob', { permit: [RPPS.author], opposed: true }) },
    { resource: accessChoices('choices-carol', 'carol', { permit: [RPPS.nurse] }) },
    { resource: accessChoices('choices-dan', 'dan', { permit: [RPPS.nurse], gp: [RPPS.gp] }) },
    { resource: accessChoices('choices-fay', 'fay', { gp: [RPPS.gp] }) },

    { resource: relatedPerson('dan-mother', 'dan', 'PRN', { start: '2012-06-01' }) },
    { resource: relatedPerson('dan-guardian', 'dan', 'GUARD', { start: '2015-01-01', end: '2020-01-01' }) },
    { resource: relatedPerson('fay-father', 'fay', 'PRN') },

    { resource: doc('a-report', 'alice', { type: loinc('11488-4'), authorRpps: RPPS.author, binary: 'bin-a-report' }) },
    { resource: doc('a-psy-report', 'alice', { type: loinc('34112-3'), practiceSetting: PSYCHIATRY, authorRpps: RPPS.hospitalDoctor, authorFiness: HOSPITAL }) },
    { resource: doc('a-psy-synthesis', 'alice', { type: loinc('68599-0'), authorRpps: RPPS.author }) },
    { resource: doc('a-lab', 'alice', { type: loinc('11502-2'), authorRpps: RPPS.author }) },
    { resource: doc('a-lab-masked', 'alice', { type: loinc('11502-2'), authorRpps: RPPS.author, labels: ['MASQUE_PS'] }) },
    { resource: doc('a-summary-masked-by-nurse', 'alice', { type: loinc('34133-9'), authorRpps: RPPS.nurse, labels: ['MASQUE_PS'] }) },
    { resource: doc('a-invisible-new', 'alice', { type: loinc('11502-2'), authorRpps: RPPS.author, labels: ['INVISIBLE_PATIENT'] }), at: daysBefore(10) },
    { resource: doc('a-invisible-old', 'alice', { type: loinc('11502-2'), authorRpps: RPPS.author, labels: ['INVISIBLE_PATIENT'] }), at: daysBefore(40) },
    { resource: doc('a-reimbursement', 'alice', { type: a05('REMB'), class: '60' }) },
    { resource: doc('a-personal', 'alice', { type: a05('DOCPAT01'), authorRef: 'Patient/alice' }) },
    { resource: doc('a-vsm', 'alice', { type: loinc('60591-5'), authorRpps: RPPS.gp }) },
    { resource: doc('a-imaging', 'alice', { type: loinc('18748-4'), authorRpps: RPPS.author }) },
    { resource: doc('a-vaccination', 'alice', { type: loinc('87273-9'), authorRpps: RPPS.author }) },
    { resource: doc('a-wishes', 'alice', { type: a05('EXPPAT_3'), authorRef: 'Patient/alice' }) },
    { resource: doc('b-report', 'bob', { authorRpps: RPPS.author }) },
    { resource: doc('c-report', 'carol', { authorRpps: RPPS.nurse }) },
    { resource: doc('e-report', 'eve', { authorRpps: RPPS.nurse }) },
    { resource: doc('d-report', 'dan', { authorRpps: RPPS.gp }) },
    { resource: doc('d-hidden-from-reps', 'dan', { authorRpps: RPPS.gp, labels: ['INVISIBLE_REPRESENTANTS_LEGAUX'], binary: 'bin-d-hidden' }) },
    { resource: doc('d-invisible-new', 'dan', { type: loinc('11502-2'), authorRpps: RPPS.gp, labels: ['INVISIBLE_PATIENT'] }), at: daysBefore(5) },
    { resource: doc('d-masked', 'dan', { authorRpps: RPPS.author, labels: ['MASQUE_PS'] }) },
    { resource: doc('f-report', 'fay', { authorRpps: RPPS.gp }) },

    { resource: binary('bin-a-report') },
    { resource: binary('bin-a-masked', 'DocumentReference/a-lab-masked') },
    { resource: binary('bin-d-hidden') },
    { resource: binary('bin-standalone'), writer: CALLERS.nurse },

    { resource: immunization },
    { resource: allergy },

    { resource: audit('audit-nurse', RPPS.nurse, 'alice') },
    { resource: audit('audit-gp', RPPS.gp, 'alice') },
    { resource: audit('audit-gp-dan', RPPS.gp, 'dan') },
  ];
}
