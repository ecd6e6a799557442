import type { DocumentReference, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { shapeResource, SUBSETTED } from './shape-result.js';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '1', lastUpdated: '2024-01-01T00:00:00.000Z' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Hélène</div>' },
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: '123' }],
  name: [{ family: 'Martin' }],
  birthDate: '1980-04-12',
  _birthDate: { extension: [{ url: 'http://example.org/x', valueString: 'y' }] },
  deceasedBoolean: false,
  maritalStatus: { text: 'M' },
  contact: [{ name: { family: 'X' } }],
} as Patient;

const document: DocumentReference = {
  resourceType: 'DocumentReference',
  id: 'd1',
  status: 'current',
  subject: { reference: 'Patient/p1' },
  custodian: { reference: 'Organization/o1' },
  content: [{ attachment: { contentType: 'text/plain', data: 'SGk=' }, format: { code: 'x' } }],
  context: { encounter: [{ reference: 'Encounter/e1' }], period: { start: '2020-01-01' } },
};

describe('_summary and _elements', () => {
  it('keeps only summary elements with _summary=true, descending into backbone elements, and tags the copy', () => {
    const shaped = shapeResource(document, { summary: 'true' }) as DocumentReference;
    expect(Object.keys(shaped)).toEqual(['resourceType', 'id', 'meta', 'status', 'subject', 'content', 'context']);
    expect(shaped.context).toEqual({ period: { start: '2020-01-01' } });
    expect(shaped.content[0]).toEqual(document.content[0]);
    expect(shaped.meta?.tag).toEqual([SUBSETTED]);
    expect(document.meta).toBeUndefined();
  });

  it('keeps choice elements and primitive extensions of summary elements', () => {
    const shaped = shapeResource(patient, { summary: 'true' }) as Patient;
    expect(shaped.deceasedBoolean).toBe(false);
    expect((shaped as unknown as Record<string, unknown>)._birthDate).toBeDefined();
    expect(shaped.maritalStatus).toBeUndefined();
    expect(shaped.contact).toBeUndefined();
    expect(shaped.text).toBeUndefined();
  });

  it('keeps text, id, meta and mandatory elements with _summary=text', () => {
    const shaped = shapeResource(document, { summary: 'text' }) as DocumentReference;
    expect(Object.keys(shaped).sort()).toEqual(['content', 'id', 'meta', 'resourceType', 'status']);
  });

  it('drops only the narrative with _summary=data', () => {
    const shaped = shapeResource(patient, { summary: 'data' }) as Patient;
    expect(shaped.text).toBeUndefined();
    expect(shaped.contact).toEqual(patient.contact);
    expect(shaped.meta?.tag).toEqual([SUBSETTED]);
    expect(shaped.meta?.versionId).toBe('1');
  });

  it('keeps the listed elements plus id, meta and mandatory ones with _elements', () => {
    const shaped = shapeResource(document, { elements: ['subject', 'DocumentReference.custodian', 'Patient.name'] }) as DocumentReference;
    expect(Object.keys(shaped).sort()).toEqual(['content', 'custodian', 'id', 'meta', 'resourceType', 'status', 'subject']);
  });

  it('names choice elements without their type suffix in _elements', () => {
    const shaped = shapeResource(patient, { elements: ['deceased'] }) as Patient;
    expect(shaped.deceasedBoolean).toBe(false);
    expect(shaped.name).toBeUndefined();
  });

  it('returns the resource untouched when nothing is asked', () => {
    expect(shapeResource(patient, { summary: 'false' })).toBe(patient);
    expect(shapeResource(patient, {})).toBe(patient);
  });
});
