import type { Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { parseFhirJson } from './parse-json.js';
import { assertValid, validateResource, validationReport } from './validate.js';

const NS = 'xmlns="http://www.w3.org/1999/xhtml"';
const codes = (issues: Array<{ details?: { coding?: Array<{ code?: string }> } }>) => issues.map((i) => i.details?.coding?.[0]?.code);

describe('validateResource', () => {
  it('accepts a valid resource given as a parsed body or as a plain resource', () => {
    const body = `{"resourceType":"Patient","id":"p1","text":{"status":"generated","div":"<div ${NS.replace(/"/g, '\\"')}>Jean</div>"},"name":[{"family":"Dupont"}]}`;
    expect(validateResource('Patient', parseFhirJson(body))).toBeUndefined();
    expect(validateResource('Patient', { resourceType: 'Patient', name: [{ family: 'Dupont' }] } as Resource)).toBeUndefined();
  });

  it('answers 400 for a resourceType that is not the type of the request', () => {
    const failure = validateResource('Patient', { resourceType: 'Practitioner' } as Resource);
    expect(failure?.status).toBe(400);
    expect(failure?.issues[0]?.expression).toEqual(['Patient.resourceType']);
    expect(codes(failure!.issues)).toEqual(['TYPE_MISMATCH']);
  });

  it('answers 400 for a type that is not an R4 resource type', () => {
    expect(validateResource('Project', { resourceType: 'Project' } as unknown as Resource)?.status).toBe(400);
  });

  it('answers 400 for schema errors, with their locations', () => {
    const failure = validateResource('Patient', { resourceType: 'Patient', birthDate: '31/12/1980' } as Resource);
    expect(failure).toMatchObject({ status: 400, issues: [{ severity: 'error', code: 'value', expression: ['Patient.birthDate'] }] });
  });

  it('answers 400 for an integer written as a decimal in the body', () => {
    const failure = validateResource('Patient', parseFhirJson('{"resourceType":"Patient","multipleBirthInteger":1.0}'));
    expect(failure?.status).toBe(400);
    expect(codes(failure!.issues)).toEqual(['NOT_AN_INTEGER']);
  });

  it('answers 400 for a narrative with a script', () => {
    const failure = validateResource('Patient', {
      resourceType: 'Patient', text: { status: 'generated', div: `<div ${NS}><script>x</script>Jean</div>` },
    } as Resource);
    expect(failure?.status).toBe(400);
    expect(failure?.issues[0]).toMatchObject({ code: 'invariant', expression: ['Patient.text.div'] });
    expect(failure?.issues[0]?.diagnostics).toMatch(/^txt-1/);
  });

  it('answers 422 with code invariant for an invariant violation, naming the key and location', () => {
    const failure = validateResource('Patient', {
      resourceType: 'Patient', name: [{ family: 'X', period: { start: '2020-02-01', end: '2020-01-01' } }],
    } as Resource);
    expect(failure?.status).toBe(422);
    expect(failure?.issues[0]).toMatchObject({
      severity: 'error', code: 'invariant', expression: ['Patient.name[0].period'],
      diagnostics: 'per-1: If present, start SHALL have a lower value than end',
    });
  });

  it('reports only the 400 problems when a resource has both kinds', () => {
    const failure = validateResource('Patient', {
      resourceType: 'Patient', gender: 'x', name: [{ period: { start: '2020-02-01', end: '2020-01-01' } }],
    } as unknown as Resource);
    expect(failure?.status).toBe(400);
    expect(failure?.issues.map((i) => i.code)).toEqual(['value']);
  });

  it('applies the FHIR JSON rules to a plain resource, as a PATCH produces', () => {
    const failure = validateResource('Patient', { resourceType: 'Patient', name: [{ family: '' }], telecom: [] } as unknown as Resource);
    expect(failure?.status).toBe(400);
    expect(codes(failure!.issues)).toEqual(['EMPTY_VALUE', 'EMPTY_VALUE']);
    expect(failure?.issues.map((i) => i.expression?.[0])).toEqual(['Patient.name[0].family', 'Patient.telecom']);
  });

  it('does not fail a write for warnings, but reports them for $validate', () => {
    expect(validateResource('Patient', { resourceType: 'Patient' })).toBeUndefined();
    const report = validationReport('Patient', { resourceType: 'Patient' });
    expect(report.status).toBe(200);
    expect(report.issues.map((i) => [i.severity, i.diagnostics?.slice(0, 5)])).toEqual([['warning', 'dom-6']]);
  });

  it('puts errors before warnings in a failure', () => {
    const failure = validateResource('Organization', { resourceType: 'Organization', active: true } as Resource);
    expect(failure?.issues.map((i) => i.severity)).toEqual(['error', 'warning']);
  });

  it('leaves the resource exactly as it was, with no hidden properties added', () => {
    const resource = {
      resourceType: 'Patient',
      contained: [{ resourceType: 'Organization', id: 'o', name: 'O' }],
      managingOrganization: { reference: '#o' },
      name: [{ family: 'X', period: { start: '2000', end: '2001' } }],
      extension: [{ url: 'http://e', valueReference: { reference: '#o' } }],
    };
    const before = structuredClone(resource);
    expect(validateResource('Patient', resource as Resource)).toBeUndefined();
    expect(resource).toStrictEqual(before);
    const hidden: string[] = [];
    const visit = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      if (Object.getOwnPropertyNames(node).some((k) => !Object.keys(node).includes(k) && k !== 'length')) hidden.push(JSON.stringify(node));
      Object.values(node).forEach(visit);
    };
    visit(resource);
    expect(hidden).toEqual([]);
  });

  it('validates any R4 resource type, such as a CapabilityStatement or a Bundle', () => {
    expect(validateResource('Bundle', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }] } as Resource)).toBeUndefined();
  });
});

describe('assertValid', () => {
  it('throws the 400 or 422 FhirError of validateResource', () => {
    const check = (resource: Record<string, unknown>) => {
      try {
        assertValid(String(resource.resourceType), resource as unknown as Resource);
      } catch (error) {
        if (error instanceof FhirError) return [error.status, error.code, error.issues[0]?.code];
        throw error;
      }
      return 'valid';
    };
    expect(check({ resourceType: 'Patient', foo: 1 })).toEqual([400, 'INVALID_RESOURCE', 'structure']);
    expect(check({ resourceType: 'Organization', active: true })).toEqual([422, 'INVALID_RESOURCE', 'invariant']);
    expect(check({ resourceType: 'Organization', name: 'ok' })).toBe('valid');
  });
});
