import type { AuditEvent, Binary, DocumentReference } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { extractAccessFacts } from './facts.js';
import { accessChoices, binary, CALLERS, dmpCreation, doc, HOSPITAL, patient, PSYCHIATRY, relatedPerson, RPPS, TRE_A05 } from './test-fixture.js';

/** Facts computed once at write time (ARCHITECTURE.md `sec`): what each rule later filters on. */

const stamped = <T extends { meta?: object }>(resource: T, lastUpdated = '2025-03-01T09:00:00.000Z', versionId = '1'): T => ({
  ...resource,
  meta: { ...resource.meta, versionId, lastUpdated },
});

describe('extractAccessFacts', () => {
  it('R4.1 gives a DocumentReference its family from its LOINC type', () => {
    expect(extractAccessFacts(doc('d', 'alice', { type: ['http://loinc.org', '18748-4'] }))).toMatchObject({ patient: 'Patient/alice', family: 'imaging' });
  });

  it('R4.1 puts an unlisted type in reports', () => {
    expect(extractAccessFacts(doc('d', 'alice', { type: ['http://loinc.org', '00000-0'] })).family).toBe('reports');
  });

  it('R4.1 makes any document of a psychiatric practice setting mental-health, whatever its type', () => {
    expect(extractAccessFacts(doc('d', 'alice', { type: ['http://loinc.org', '11502-2'], practiceSetting: PSYCHIATRY })).family).toBe('mental-health');
  });

  it('R7.2 puts a document authored by the holder in the personal space, advance directives staying wishes', () => {
    expect(extractAccessFacts(doc('d', 'alice', { type: ['http://loinc.org', '11502-2'], authorRef: 'Patient/alice' }))).toMatchObject({
      family: 'personal',
      personal: true,
      authorRefs: ['Patient/alice'],
    });
    expect(extractAccessFacts(doc('d', 'alice', { type: [TRE_A05, 'EXPPAT_3'], authorRef: 'Patient/alice' })).family).toBe('wishes');
  });

  it('R8.6 marks reimbursement data by type or by class 60', () => {
    expect(extractAccessFacts(doc('d', 'alice', { type: [TRE_A05, 'REMB'] }))).toMatchObject({ family: 'reimbursement', reimbursement: true });
    expect(extractAccessFacts(doc('d', 'alice', { type: ['http://loinc.org', '11488-4'], class: '60' }))).toMatchObject({ family: 'reimbursement', reimbursement: true });
  });

  it('R5.1 reads TRE_A07 labels under the canonical URL and the urn:oid form alike, and ignores N', () => {
    const labelled: DocumentReference = {
      ...doc('d', 'alice'),
      securityLabel: [
        { coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.13', code: 'MASQUE_PS' }] },
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'N' }] },
      ],
      meta: { security: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'INVISIBLE_PATIENT' }] },
    };
    expect(extractAccessFacts(labelled).labels).toEqual(['INVISIBLE_PATIENT', 'MASQUE_PS']);
  });

  it('R8.3 records author RPPS (also as IdNat_PS) and structure FINESS (also as IdNat_Struct and through a contained PractitionerRole)', () => {
    const authored: DocumentReference = {
      ...doc('d', 'alice'),
      contained: [
        {
          resourceType: 'PractitionerRole',
          id: 'role',
          practitioner: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.1', value: `8${RPPS.author}` } },
          organization: { identifier: { system: 'urn:oid:1.2.250.1.71.4.2.2', value: `1${HOSPITAL}` } },
        },
      ],
      author: [{ reference: '#role' }, { identifier: { system: 'https://rpps.esante.gouv.fr', value: RPPS.nurse } }],
    };
    const facts = extractAccessFacts(authored);
    expect(facts.authorRpps?.sort()).toEqual([RPPS.author, RPPS.nurse].sort());
    expect(facts.authorFiness).toEqual([HOSPITAL]);
  });

  it('D15 lists the Binaries a document points to, relative or absolute, and the documents it replaces', () => {
    const pointing: DocumentReference = {
      ...doc('d', 'alice'),
      content: [{ attachment: { url: 'Binary/b1' } }, { attachment: { url: 'https://dmp.example/fhir/Binary/b2' } }, { attachment: { url: 'urn:uuid:x' } }],
      relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/old' } }, { code: 'appends', target: { reference: 'DocumentReference/other' } }],
    };
    expect(extractAccessFacts(pointing)).toMatchObject({ binaries: ['b1', 'b2'], replaces: ['old'] });
  });

  it('R5.3 takes the deposit date from the first version and keeps it on later ones', () => {
    const first = extractAccessFacts(stamped(doc('d', 'alice'), '2025-03-01T09:00:00.000Z'));
    expect(first.deposited).toBe('2025-03-01T09:00:00.000Z');
    const second = extractAccessFacts(stamped(doc('d', 'alice'), '2025-03-20T09:00:00.000Z', '2'), { previous: first });
    expect(second.deposited).toBe('2025-03-01T09:00:00.000Z');
  });

  it('section 12 reads the access choices of a dmp-access Consent in queryable form', () => {
    const facts = extractAccessFacts(accessChoices('c', 'alice', { permit: [RPPS.nurse], structures: [HOSPITAL], gp: [RPPS.gp], blocked: [RPPS.blocked], opposed: true }));
    expect(facts).toEqual({
      patient: 'Patient/alice',
      category: 'dmp-access',
      status: 'active',
      permitRpps: [RPPS.nurse],
      permitFiness: [HOSPITAL],
      gpRpps: [RPPS.gp],
      blockedRpps: [RPPS.blocked],
      emergencyOpposed: true,
    });
  });

  it('R2.1 reads the category, status and performer of a dmp-creation Consent', () => {
    expect(extractAccessFacts(dmpCreation('c', 'dan', 'active', 'RelatedPerson/mum'))).toEqual({
      patient: 'Patient/dan',
      category: 'dmp-creation',
      status: 'active',
      performer: ['RelatedPerson/mum'],
    });
  });

  it('R7.5 reads a RelatedPerson’s relationships and period, and a Patient’s birth date', () => {
    expect(extractAccessFacts(relatedPerson('r', 'dan', 'PRN', { start: '2012-06-01', end: '2030-06-01' }))).toMatchObject({
      patient: 'Patient/dan',
      family: 'wishes',
      relationships: ['PRN'],
      periodStart: '2012-06-01',
      periodEnd: '2030-06-01',
    });
    expect(extractAccessFacts(patient('dan', '2012-06-01'))).toEqual({ patient: 'Patient/dan', birthDate: '2012-06-01' });
  });

  it('D15 records a Binary’s document and its creator, who stays the creator on later versions', () => {
    const first = extractAccessFacts(binary('b', 'DocumentReference/d1') as Binary, { writer: CALLERS.nurse });
    expect(first).toEqual({ documents: ['d1'], creator: `https://rpps.esante.gouv.fr|${RPPS.nurse}` });
    expect(extractAccessFacts(binary('b'), { previous: first, writer: CALLERS.gp }).creator).toBe(first.creator);
  });

  it('R10.1 reads the patients and the requesting professional of an AuditEvent', () => {
    const event: AuditEvent = {
      resourceType: 'AuditEvent',
      type: { code: 'rest' },
      recorded: '2025-03-01T10:00:00Z',
      agent: [
        { requestor: true, who: { identifier: { system: 'https://rpps.esante.gouv.fr', value: RPPS.nurse } } },
        { requestor: false, who: { display: 'app' } },
      ],
      source: { observer: { display: 'server' } },
      entity: [{ what: { reference: 'Patient/alice' } }, { what: { reference: 'DocumentReference/d' } }],
    };
    expect(extractAccessFacts(event)).toEqual({ patient: ['Patient/alice'], actorRpps: [RPPS.nurse] });
  });

  it('gives the directory no access facts', () => {
    expect(extractAccessFacts({ resourceType: 'Practitioner', id: 'p' })).toEqual({});
  });
});
