import type {
  AllergyIntolerance,
  Binary,
  Coding,
  Consent,
  ConsentProvision,
  DocumentReference,
  Immunization,
  Patient,
  RelatedPerson,
} from 'fhir/r4';

/**
 * The DMP shapes of DMP-RULES section 12, as the access tests write them through the API. Codes and
 * systems are spelled out here rather than imported from src/, so that a change of the server's
 * constants cannot make the tests agree with it silently.
 */

export const INS_TEST_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.10';
export const RPPS_SYSTEM = 'https://rpps.esante.gouv.fr';
export const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';
export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const PSYCHIATRY = '394587001';
export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const CONSENT_CATEGORY = 'https://dmp-fhir-server.example/CodeSystem/consent-category';
export const CLOSURE_REASON = 'https://dmp-fhir-server.example/StructureDefinition/dmp-closure-reason';
export const ARCHIVED = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';
const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const CONSENT_SCOPE = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] };
const OPTIN = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] };

export type Label = 'MASQUE_PS' | 'INVISIBLE_PATIENT' | 'INVISIBLE_REPRESENTANTS_LEGAUX';

/** A 15-character INS: 13 digits and the D21 key, 97 minus the number modulo 97, on two digits. */
export function ins(thirteenDigits: string): string {
  if (!/^\d{13}$/.test(thirteenDigits)) throw new Error(`an INS starts with 13 digits, got ${thirteenDigits}`);
  const key = 97n - (BigInt(thirteenDigits) % 97n);
  return `${thirteenDigits}${key.toString().padStart(2, '0')}`;
}

/** YYYY-MM-DD of a date `years` years and `days` days before `from` (UTC). */
export function dateBefore(years: number, days = 0, from = new Date()): string {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

export function patient(family: string, given: string, insValue: string, birthDate: string): Patient {
  return {
    resourceType: 'Patient',
    identifier: [{ system: INS_TEST_SYSTEM, value: insValue }],
    name: [{ family, given: [given] }],
    gender: 'female',
    birthDate,
  };
}

/** A rep (R2.3, D34): a RelatedPerson of the minor with a PRN or GUARD relationship. */
export function representative(holderId: string, relationship: 'PRN' | 'GUARD', period: { start?: string; end?: string }): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    patient: { reference: `Patient/${holderId}` },
    relationship: [{ coding: [{ system: ROLE_CODE, code: relationship }] }],
    name: [{ family: 'Durand', given: [relationship === 'PRN' ? 'Mère' : 'Tuteur'] }],
    period,
  };
}

/** Opening a DMP (R2.1): the dmp-creation Consent; `performer` gives consent (D18, D34). */
export function dmpCreation(holderId: string, performer: string): Consent {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: CONSENT_SCOPE,
    category: [{ coding: [{ system: CONSENT_CATEGORY, code: 'dmp-creation' }] }],
    patient: { reference: `Patient/${holderId}` },
    dateTime: new Date().toISOString(),
    performer: [{ reference: performer }],
    policyRule: OPTIN,
  };
}

/** Closing it (R9.1): the same Consent, inactive, with the closure date and reason. */
export function dmpClosure(open: Consent): Consent {
  return {
    ...open,
    status: 'inactive',
    extension: [{ url: CLOSURE_REASON, valueCode: 'holder-request' }],
    provision: { period: { end: new Date().toISOString().slice(0, 10) } },
  };
}

export interface Choices {
  /** R3.1 authorised professionals (RPPS). */
  permit?: string[];
  /** R3.2 / D36 authorised care structures (FINESS). */
  structures?: string[];
  /** R3.3 DMP GPs (RPPS). */
  gp?: string[];
  /** R3.4 blocked professionals (RPPS). */
  blocked?: string[];
  /** R3.5 opposition to emergency access. */
  opposed?: boolean;
}

const actor = (system: string, value: string, role: Coding) => ({ role: { coding: [role] }, reference: { identifier: { system, value } } });
const IRCP: Coding = { system: PARTICIPATION, code: 'IRCP' };
const PCP: Coding = { system: ROLE_CODE, code: 'PCP' };

/** The holder's access choices (section 3): one dmp-access Consent with nested provisions. */
export function accessChoices(holderId: string, choices: Choices): Consent {
  const nested: ConsentProvision[] = [
    ...(choices.permit ?? []).map((rpps) => ({ type: 'permit' as const, actor: [actor(RPPS_SYSTEM, rpps, IRCP)] })),
    ...(choices.structures ?? []).map((finess) => ({ type: 'permit' as const, actor: [actor(FINESS_SYSTEM, finess, IRCP)] })),
    ...(choices.gp ?? []).map((rpps) => ({ type: 'permit' as const, actor: [actor(RPPS_SYSTEM, rpps, PCP)] })),
    ...(choices.blocked ?? []).map((rpps) => ({ type: 'deny' as const, actor: [actor(RPPS_SYSTEM, rpps, IRCP)] })),
    ...(choices.opposed ? [{ type: 'deny' as const, purpose: [{ system: ACT_REASON, code: 'ETREAT' }] }] : []),
  ];
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: CONSENT_SCOPE,
    category: [{ coding: [{ system: CONSENT_CATEGORY, code: 'dmp-access' }] }],
    patient: { reference: `Patient/${holderId}` },
    dateTime: new Date().toISOString(),
    policyRule: OPTIN,
    provision: { type: 'permit', ...(nested.length ? { provision: nested } : {}) },
  };
}

export interface DocOptions {
  type: [system: string, code: string];
  labels?: Label[];
  /** An explicit RPPS author; absent, the server adds the caller (R8.1). */
  authorRpps?: string;
  /** A reference author (`Patient/…`, `RelatedPerson/…`): the holder's personal space (R7.2). */
  authorRef?: string;
  practiceSetting?: string;
  classCode?: string;
  binaryId?: string;
  description?: string;
}

export function documentReference(holderId: string, options: DocOptions): DocumentReference {
  const [system, code] = options.type;
  const author = [
    ...(options.authorRpps ? [{ identifier: { system: RPPS_SYSTEM, value: options.authorRpps } }] : []),
    ...(options.authorRef ? [{ reference: options.authorRef }] : []),
  ];
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system, code }] },
    ...(options.classCode ? { category: [{ coding: [{ system: TRE_A03, code: options.classCode }] }] } : {}),
    subject: { reference: `Patient/${holderId}` },
    date: new Date().toISOString(),
    ...(author.length ? { author } : {}),
    description: options.description ?? `document ${code}`,
    ...(options.labels?.length ? { securityLabel: options.labels.map((c) => ({ coding: [{ system: TRE_A07, code: c }] })) } : {}),
    ...(options.practiceSetting ? { context: { practiceSetting: { coding: [{ system: SNOMED, code: options.practiceSetting }] } } } : {}),
    content: [{ attachment: { contentType: 'application/pdf', ...(options.binaryId ? { url: `Binary/${options.binaryId}` } : {}) } }],
  };
}

/** A PDF's first bytes (`%PDF-`), standalone until a document points at it (D15). */
export const binary = (): Binary => ({ resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERi0=' });

export function allergy(holderId: string, labels: Label[] = []): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    ...(labels.length ? { meta: { security: labels.map((code) => ({ system: TRE_A07, code })) } } : {}),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    code: { text: 'Pénicilline' },
    patient: { reference: `Patient/${holderId}` },
  };
}

export function immunization(holderId: string, labels: Label[] = []): Immunization {
  return {
    resourceType: 'Immunization',
    ...(labels.length ? { meta: { security: labels.map((code) => ({ system: TRE_A07, code })) } } : {}),
    status: 'completed',
    vaccineCode: { text: 'DTP' },
    patient: { reference: `Patient/${holderId}` },
    occurrenceDateTime: '2020-01-01',
  };
}

/** The labels of a document as codes, whatever their coding shape. */
export function labelsOf(doc: DocumentReference): string[] {
  return (doc.securityLabel ?? []).flatMap((c) => c.coding ?? []).map((c) => c.code ?? '');
}
