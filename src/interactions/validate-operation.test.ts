import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { validateOperation } from './validate-operation.js';

/** D12: $validate answers an OperationOutcome for anything JSON, and 400 only for what is not. */

/** Narrative keeps dom-6's warning out of the outcomes that should hold only "no errors". */
const text = { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">a patient</div>' };
const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const severities = (outcome: ReturnType<typeof validateOperation>) => outcome.issue.map((i) => i.severity);

describe('validateOperation', () => {
  it('says "no errors" in an information issue for a valid resource', () => {
    const outcome = validateOperation('Patient', undefined, body({ resourceType: 'Patient', text, gender: 'female' }));
    expect(outcome.issue).toEqual([expect.objectContaining({ severity: 'information', diagnostics: expect.stringMatching(/^no errors/) })]);
  });

  it('lists the errors of an invalid resource, errors first', () => {
    const outcome = validateOperation('Patient', undefined, body({ resourceType: 'Patient', gender: 'neither', birthDate: '1980-13-01' }));
    expect(severities(outcome).filter((s) => s === 'error').length).toBeGreaterThanOrEqual(2);
    expect(outcome.issue[0]!.severity).toBe('error');
    expect(outcome.issue.some((i) => i.severity === 'information')).toBe(false);
  });

  it('reports the raw-text rules of D9 as issues rather than refusing the body', () => {
    const outcome = validateOperation('Patient', undefined, body('{"resourceType":"Patient","gender":"male","gender":"female"}'));
    expect(outcome.issue[0]).toMatchObject({ severity: 'error', details: { coding: [{ code: 'DUPLICATE_KEY' }] } });
  });

  it('takes the resource from a Parameters, with its profile parameter', () => {
    const params = (resource: unknown, profile?: string) => ({
      resourceType: 'Parameters',
      parameter: [{ name: 'resource', resource }, ...(profile ? [{ name: 'profile', valueUri: profile }] : [])],
    });
    expect(severities(validateOperation('Patient', undefined, body(params({ resourceType: 'Patient', text }))))).toEqual(['information']);
    const profiled = validateOperation('Patient', undefined, body(params({ resourceType: 'Patient' }, 'https://dmp-fhir-server.example/StructureDefinition/dmp-patient')));
    expect(profiled.issue[0]!.diagnostics).toMatch(/^dmp-pat-1/);
    // an integer written 2.0 inside the Parameters is still seen
    const decimal = validateOperation('Patient', undefined, body('{"resourceType":"Parameters","parameter":[{"name":"resource","resource":{"resourceType":"Patient","multipleBirthInteger":2.0}}]}'));
    expect(decimal.issue[0]).toMatchObject({ severity: 'error', expression: ['Patient.multipleBirthInteger'] });
    expect(validateOperation('Patient', undefined, body({ resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'create' }] })).issue[0]).toMatchObject({ severity: 'error', code: 'required' });
  });

  it('says a resource of another type than the URL is an error, and an id other than the URL one', () => {
    expect(validateOperation('Patient', undefined, body({ resourceType: 'Practitioner' })).issue[0]).toMatchObject({ severity: 'error', details: { coding: [{ code: 'TYPE_MISMATCH' }] } });
    expect(validateOperation('Patient', 'p1', body({ resourceType: 'Patient', id: 'p2' })).issue[0]).toMatchObject({ severity: 'error', expression: ['Patient.id'] });
    expect(severities(validateOperation('Patient', 'p1', body({ resourceType: 'Patient', text, id: 'p1' })))).toEqual(['information']);
  });

  it('answers 400 only for a body that is not JSON, or no body', () => {
    for (const raw of ['{', 'not json', '']) {
      let error: unknown;
      try {
        validateOperation('Patient', undefined, raw ? body(raw) : undefined);
      } catch (err) {
        error = err;
      }
      expect(error, raw).toBeInstanceOf(FhirError);
      expect((error as FhirError).status).toBe(400);
    }
  });
});
