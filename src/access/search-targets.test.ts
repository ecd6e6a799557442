import { describe, expect, it } from 'vitest';
import { searchTargets } from './search-targets.js';

describe('the holders a search names', () => {
  it('reads patient and subject values in every reference form', () => {
    expect(searchTargets('DocumentReference', [['patient', 'p1,Patient/p2'], ['subject', 'https://h/fhir/Patient/p3']])).toEqual(['Patient/p1', 'Patient/p2', 'Patient/p3']);
    expect(searchTargets('DocumentReference', [['subject:Patient', 'p4']])).toEqual(['Patient/p4']);
  });

  it('reads the compartment and Patient?_id', () => {
    expect(searchTargets('Immunization', [], { type: 'Patient', id: 'p5' })).toEqual(['Patient/p5']);
    expect(searchTargets('Patient', [['_id', 'p6']])).toEqual(['Patient/p6']);
  });

  it('names nobody for a subject that is not a patient, a chain or an identifier', () => {
    expect(searchTargets('DocumentReference', [['subject', 'Group/g'], ['subject', 'x'], ['patient.identifier', 'a|b'], ['patient:identifier', 'a|b']])).toBeUndefined();
  });
});
