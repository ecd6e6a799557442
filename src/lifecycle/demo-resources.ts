import type {
  AllergyIntolerance,
  Binary,
  Consent,
  ConsentProvision,
  DocumentReference,
  Immunization,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Reference,
  RelatedPerson,
} from 'fhir/r4';
import {
  ACT_REASON_SYSTEM,
  ARCHIVED_EXTENSION,
  CONSENT_CATEGORY_SYSTEM,
  FINESS_SYSTEM,
  LOINC,
  PARTICIPATION_TYPE_SYSTEM,
  ROLE_CODE_SYSTEM,
  RPPS_SYSTEM,
  VISIBILITY_SYSTEM,
} from '../access/codes.js';
import { PROFESSION_SYSTEM, SPECIALTY_SYSTEM } from '../audit/codes.js';
import { CLOSURE_REASON_EXTENSION, type ClosureReason } from './closure-rule.js';
import { DEMO_INS_SYSTEM, insOf } from './demo-identities.js';

/**
 * Builders of the demo resources in the shapes of DMP-RULES section 12, kept apart from the story
 * (demo-data.ts) so that it reads as a list of who writes what.
 */

export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
const SNOMED = 'http://snomed.info/sct';
const PATIENT_PRIVACY = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] };
const OPTIN = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] };

export type Label = 'MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX';

export interface PersonName {
  family: string;
  given: string;
}

export function practitioner(rpps: string, name: PersonName, profession: string, specialty?: string): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: `demo-ps-${rpps}`,
    identifier: [{ system: RPPS_SYSTEM, value: rpps }],
    active: true,
    name: [{ family: name.family, given: [name.given] }],
    qualification: [
      { code: { coding: [{ system: PROFESSION_SYSTEM, code: profession }] } },
      ...(specialty ? [{ code: { coding: [{ system: SPECIALTY_SYSTEM, code: specialty }] } }] : []),
    ],
  };
}

/** The professional's role in a care structure: what `$access` (D28) reads to evaluate them with their structure. */
export function practitionerRole(rpps: string, profession: string, specialty: string | undefined, organization: string): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: `demo-ps-${rpps}-${organization}`,
    active: true,
    practitioner: { reference: `Practitioner/demo-ps-${rpps}` },
    organization: { reference: `Organization/${organization}` },
    code: [{ coding: [{ system: PROFESSION_SYSTEM, code: profession }] }],
    ...(specialty ? { specialty: [{ coding: [{ system: SPECIALTY_SYSTEM, code: specialty }] }] } : {}),
  };
}

export function careStructure(id: string, finess: string, name: string): Organization {
  return {
    resourceType: 'Organization',
    id,
    identifier: [{ system: FINESS_SYSTEM, value: finess }],
    active: true,
    type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov', display: 'Healthcare Provider' }] }],
    name,
  };
}

export interface HolderSpec extends PersonName {
  id: string;
  gender: 'male' | 'female';
  birthDate: string;
  nir: string;
}

export function holderPatient(holder: HolderSpec): Patient {
  return {
    resourceType: 'Patient',
    id: holder.id,
    identifier: [{ use: 'official', system: DEMO_INS_SYSTEM, value: insOf(holder.nir) }],
    name: [{ use: 'official', family: holder.family, given: [holder.given] }],
    gender: holder.gender,
    birthDate: holder.birthDate,
  };
}

export function parent(id: string, minor: string, name: PersonName, since: string): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    id,
    patient: { reference: `Patient/${minor}` },
    relationship: [{ coding: [{ system: ROLE_CODE_SYSTEM, code: 'PRN', display: 'parent' }] }],
    name: [{ family: name.family, given: [name.given] }],
    period: { start: since },
  };
}

/** R2.1 section 12: the DMP opened with the consent of `performer` (the holder, or a minor's rep). */
export function dmpOpening(id: string, holder: string, performer: string, dateTime: string): Consent {
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: PATIENT_PRIVACY,
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-creation' }] }],
    patient: { reference: `Patient/${holder}` },
    dateTime,
    performer: [{ reference: performer }],
    policyRule: OPTIN,
  };
}

/** R9.1 section 12: the same Consent, inactive, with its closure date and reason. */
export function dmpClosure(opening: Consent, reason: ClosureReason, day: string): Consent {
  return { ...opening, status: 'inactive', extension: [{ url: CLOSURE_REASON_EXTENSION, valueCode: reason }], provision: { period: { end: day } } };
}

export interface AccessChoices {
  permit?: string[];
  structures?: string[];
  gp?: string[];
  blocked?: string[];
  opposed?: boolean;
}

const actor = (role: 'IRCP' | 'PCP', system: string, value: string) => ({
  role: { coding: [{ system: role === 'PCP' ? ROLE_CODE_SYSTEM : PARTICIPATION_TYPE_SYSTEM, code: role }] },
  reference: { identifier: { system, value } },
});

/** Section 3 and 12: the holder's access choices, one dmp-access Consent with nested provisions. */
export function accessChoices(id: string, holder: string, choices: AccessChoices, dateTime: string): Consent {
  const nested: ConsentProvision[] = [
    ...(choices.gp ?? []).map((rpps) => ({ type: 'permit' as const, actor: [actor('PCP', RPPS_SYSTEM, rpps)] })),
    ...(choices.permit ?? []).map((rpps) => ({ type: 'permit' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...(choices.structures ?? []).map((finess) => ({ type: 'permit' as const, actor: [actor('IRCP', FINESS_SYSTEM, finess)] })),
    ...(choices.blocked ?? []).map((rpps) => ({ type: 'deny' as const, actor: [actor('IRCP', RPPS_SYSTEM, rpps)] })),
    ...(choices.opposed ? [{ type: 'deny' as const, purpose: [{ system: ACT_REASON_SYSTEM, code: 'ETREAT' }] }] : []),
  ];
  return {
    resourceType: 'Consent',
    id,
    status: 'active',
    scope: PATIENT_PRIVACY,
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-access' }] }],
    patient: { reference: `Patient/${holder}` },
    dateTime,
    policyRule: OPTIN,
    provision: { type: 'permit', ...(nested.length ? { provision: nested } : {}) },
  };
}

/** A professional author (R8.1): their Practitioner and RPPS. */
export function psAuthor(rpps: string, display: string): Reference {
  return { reference: `Practitioner/demo-ps-${rpps}`, identifier: { system: RPPS_SYSTEM, value: rpps }, display };
}

export interface DocSpec {
  id: string;
  holder: string;
  /** LOINC code, or `[system, code]` for TRE_A05 types. */
  type: string | [string, string];
  typeDisplay: string;
  /** TRE_A03 class code. */
  classCode: string;
  author: Reference[];
  date: string;
  description: string;
  labels?: Label[];
  psychiatry?: boolean;
  binary?: string;
  relatesTo?: DocumentReference['relatesTo'];
}

export function document(spec: DocSpec): DocumentReference {
  const [system, code] = typeof spec.type === 'string' ? [LOINC, spec.type] : spec.type;
  return {
    resourceType: 'DocumentReference',
    id: spec.id,
    status: 'current',
    type: { coding: [{ system, code, display: spec.typeDisplay }] },
    category: [{ coding: [{ system: TRE_A03, code: spec.classCode }] }],
    subject: { reference: `Patient/${spec.holder}` },
    date: spec.date,
    author: spec.author,
    description: spec.description,
    ...(spec.labels?.length ? { securityLabel: spec.labels.map((label) => ({ coding: [{ system: VISIBILITY_SYSTEM, code: label }] })) } : {}),
    ...(spec.relatesTo ? { relatesTo: spec.relatesTo } : {}),
    content: [
      {
        attachment: {
          contentType: spec.binary ? 'text/plain' : 'application/pdf',
          language: 'fr-FR',
          title: spec.description,
          ...(spec.binary ? { url: `Binary/${spec.binary}` } : {}),
        },
      },
    ],
    ...(spec.psychiatry ? { context: { practiceSetting: { coding: [{ system: SNOMED, code: '394587001', display: 'Psychiatry' }] } } } : {}),
  };
}

/** The content of a document (D15: readable exactly when its document is). */
export function content(id: string, documentId: string, text: string): Binary {
  return {
    resourceType: 'Binary',
    id,
    contentType: 'text/plain',
    securityContext: { reference: `DocumentReference/${documentId}` },
    data: Buffer.from(text, 'utf8').toString('base64'),
  };
}

export function withLabels(doc: DocumentReference, labels: Label[]): DocumentReference {
  return { ...doc, securityLabel: labels.map((label) => ({ coding: [{ system: VISIBILITY_SYSTEM, code: label }] })) };
}

export function archived(doc: DocumentReference): DocumentReference {
  return { ...doc, extension: [{ url: ARCHIVED_EXTENSION, valueBoolean: true }] };
}

export function allergy(id: string, holder: string, substance: string, recorder: Reference, recordedDate: string): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
    category: ['medication'],
    criticality: 'high',
    code: { text: substance },
    patient: { reference: `Patient/${holder}` },
    recordedDate,
    recorder,
  };
}

export function immunization(id: string, holder: string, vaccine: string, date: string, performer: Reference): Immunization {
  return {
    resourceType: 'Immunization',
    id,
    status: 'completed',
    vaccineCode: { text: vaccine },
    patient: { reference: `Patient/${holder}` },
    occurrenceDateTime: date,
    primarySource: true,
    performer: [{ actor: performer }],
  };
}
