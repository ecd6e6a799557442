import type { FhirResource } from 'fhir/r4';

/**
 * A small DMP-shaped data set for the compiler's table tests: accented French names, INS, RPPS and
 * IdNat_PS identifiers, TRE_A07 labels written with the canonical URL and with the urn:oid: form,
 * dates on both sides of a UTC midnight, references relative and absolute on our base.
 */

export const BASE = 'https://dmp.example/fhir';
export const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
export const TRE_A07_OID = 'urn:oid:1.2.250.1.213.1.1.4.13';
export const INS = 'urn:oid:1.2.250.1.213.1.4.8';
export const RPPS = 'https://rpps.esante.gouv.fr';
export const IDNAT_PS = 'urn:oid:1.2.250.1.71.4.2.1';
const ARCHIVED = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

const patients: FhirResource[] = [
  {
    resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-05-12',
    identifier: [{ system: INS, value: '280055012345678', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'NI' }] } }],
    name: [{ family: 'Dupont', given: ['Hélène'] }],
    address: [{ line: ['12 rue de la Paix'], city: 'Paris', postalCode: '75002' }],
    telecom: [{ system: 'email', value: 'helene@example.fr' }],
    managingOrganization: { reference: 'Organization/o1' },
    meta: { profile: ['https://interop.esante.gouv.fr/ig/fhir/core/StructureDefinition/fr-core-patient'] },
  },
  {
    resourceType: 'Patient', id: 'p2', gender: 'male', birthDate: '2010-01-01',
    identifier: [{ system: INS, value: '110017512345678' }, { system: 'urn:x', value: 'a|b' }],
    name: [{ family: 'Martin', given: ['Jean-Pierre'] }],
    meta: { security: [{ system: TRE_A07_OID, code: 'INVISIBLE_REPRESENTANTS_LEGAUX' }] },
  },
  { resourceType: 'Patient', id: 'p3', name: [{ family: 'Cœur', given: ['Helene'] }], managingOrganization: { reference: 'Organization/o2' } },
];

const directory: FhirResource[] = [
  { resourceType: 'Organization', id: 'o1', name: 'Hôpital Saint-Louis', identifier: [{ system: 'https://finess.esante.gouv.fr', value: '750100208' }] },
  { resourceType: 'Organization', id: 'o2', name: 'Clinique du Parc' },
  { resourceType: 'Practitioner', id: 'pr1', identifier: [{ system: RPPS, value: '10001234567' }], name: [{ family: 'Durand', given: ['Alice'] }] },
  { resourceType: 'Practitioner', id: 'pr2', identifier: [{ system: IDNAT_PS, value: '810009876543' }], name: [{ family: 'Petit' }] },
];

const documents: FhirResource[] = [
  {
    resourceType: 'DocumentReference', id: 'd1', status: 'current',
    meta: { tag: [{ system: 'http://x', code: 't1' }] },
    subject: { reference: 'Patient/p1' },
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
    category: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument', code: '10' }] }],
    date: '2019-03-01T23:30:00+01:00', // 22:30 UTC, March 1
    author: [{ reference: 'Practitioner/pr1' }],
    securityLabel: [{ coding: [{ system: TRE_A07_OID, code: 'MASQUE_PS' }] }],
    description: "Compte rendu d'hospitalisation",
    content: [{ attachment: { url: 'https://dmp.example/fhir/Binary/b1', creation: '2019-02-28' } }],
  },
  {
    resourceType: 'DocumentReference', id: 'd2', status: 'superseded',
    extension: [{ url: ARCHIVED, valueBoolean: true }],
    subject: { reference: `${BASE}/Patient/p1` },
    type: { coding: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '18748-4', display: 'Diagnostic imaging study' }] },
    date: '2019-03-02T00:30:00+01:00', // 23:30 UTC, still March 1 in UTC
    author: [{ identifier: { system: RPPS, value: '10009876543' } }],
    securityLabel: [{ coding: [{ system: TRE_A07, code: 'INVISIBLE_PATIENT' }] }],
    context: { period: { start: '2019-01-01', end: '2019-02-01' } },
    content: [{ attachment: { url: 'urn:uuid:0d1b6a3c-5c8e-4b0e-9f3f-2a1c9e7b8d10' } }],
  },
  {
    resourceType: 'DocumentReference', id: 'd3', status: 'current',
    subject: { reference: 'Patient/p2/_history/3' },
    type: { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire', code: 'REMB' }] },
    date: '2020-06-15T12:00:00Z',
    author: [{ reference: 'Organization/o1' }],
    relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/d2' } }],
    description: 'Remboursements, 2020',
    content: [{ attachment: { contentType: 'application/pdf' } }],
  },
  {
    resourceType: 'DocumentReference', id: 'd4', status: 'entered-in-error',
    subject: { reference: 'Patient/p3' },
    date: '2021-12-31T23:59:59.999Z',
    context: { period: { start: '2021-01-01' } },
    content: [{ attachment: { contentType: 'text/plain' } }],
  },
  {
    resourceType: 'DocumentReference', id: 'd5', status: 'current',
    subject: { reference: 'Practitioner/pr1' },
    type: { text: 'Note libre de sortie' },
    date: '2024-02-29T12:00:00Z',
    content: [{ attachment: { contentType: 'text/plain' } }],
  },
];

const others: FhirResource[] = [
  { resourceType: 'List', id: 'l1', status: 'current', mode: 'working', subject: { reference: 'Patient/p1' }, entry: [{ item: { reference: 'DocumentReference/d1' } }, { item: { reference: 'DocumentReference/d3' } }] },
  {
    resourceType: 'Consent', id: 'c1', status: 'active', patient: { reference: 'Patient/p1' },
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'https://dmp-fhir-server.example/CodeSystem/consent-category', code: 'dmp-access' }] }],
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    provision: {
      type: 'permit',
      provision: [{ type: 'deny', actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] }, reference: { identifier: { system: RPPS, value: '10001234567' } } }] }],
    },
  },
  { resourceType: 'Immunization', id: 'i1', status: 'completed', patient: { reference: 'Patient/p1' }, occurrenceDateTime: '2019-05-01', vaccineCode: { text: 'DTP' } },
  { resourceType: 'Immunization', id: 'i2', status: 'completed', patient: { reference: 'Patient/p1' }, occurrenceString: 'dans l’enfance', vaccineCode: { text: 'BCG' } },
];

/** Every fixture, d5 last updated a year before the others. */
export const FIXTURES = [...patients, ...directory, ...documents, ...others].map((resource) => ({
  resource,
  lastUpdated: resource.id === 'd5' ? '2023-05-01T10:00:00.000Z' : '2024-05-01T10:00:00.000Z',
}));

/** "Now" for `ap`: 2024-06-01. */
export const NOW = new Date('2024-06-01T00:00:00Z');
