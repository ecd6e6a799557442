import { describe, expect, it } from 'vitest';
import { scanReferences } from './references.js';

const P = 'urn:uuid:9d3c1f0e-3a0b-4c55-9a52-6f1b0a8e2c11';
const MAP = new Map([[P, 'Patient/p1']]);

describe('scanReferences', () => {
  it('rewrites references and uri-typed values but never a string element holding the same text', () => {
    const resource = {
      resourceType: 'Patient',
      identifier: [{ system: 'urn:ietf:rfc:3986', value: P }],
      link: [{ other: { reference: P, display: P }, type: 'seealso' }],
      extension: [{ url: 'https://example.org/x', valueCanonical: P }],
    };
    const scan = scanReferences(resource, MAP);
    expect(scan.rewritten).toBe(2);
    expect(resource.identifier[0]!.value).toBe(P);
    expect(resource.link[0]!.other).toEqual({ reference: 'Patient/p1', display: P });
    expect(resource.extension[0]!.valueCanonical).toBe('Patient/p1');
  });

  it('follows primitive extensions, inherited elements and content references', () => {
    const resource = {
      resourceType: 'Questionnaire',
      status: 'draft',
      _date: { extension: [{ url: 'https://example.org/about', valueReference: { reference: P } }] },
      item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'reference', definition: P }] }],
    };
    scanReferences(resource, MAP);
    expect(resource._date.extension[0]!.valueReference.reference).toBe('Patient/p1');
    expect(resource.item[0]!.item[0]!.definition).toBe('Patient/p1');
  });

  it('reports conditional references and placeholders that name no entry, without touching them', () => {
    const resource = {
      resourceType: 'AllergyIntolerance',
      patient: { reference: 'Patient?identifier=https://hospital.example/mrn|42' },
      recorder: { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
    };
    const scan = scanReferences(resource, MAP);
    expect(scan.conditional.map((s) => s.value)).toEqual(['Patient?identifier=https://hospital.example/mrn|42']);
    expect(scan.unresolved).toEqual(['urn:uuid:00000000-0000-4000-8000-000000000000']);
    expect(resource.patient.reference).toBe('Patient?identifier=https://hospital.example/mrn|42');
  });
});
