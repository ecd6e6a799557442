import type { OperationOutcomeIssue } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { parseFhirJson } from './parse-json.js';
import { schemaIssues } from './schema.js';

function issuesOf(resource: Record<string, unknown>): OperationOutcomeIssue[] {
  const type = String(resource.resourceType);
  return schemaIssues(type, resource, type);
}

const summary = (issues: OperationOutcomeIssue[]) => issues.map((i) => `${i.code} ${i.expression?.[0]}: ${i.diagnostics}`);

describe('the R4 JSON schema step', () => {
  it('accepts a valid Patient', () => {
    expect(issuesOf({ resourceType: 'Patient', id: 'p1', name: [{ family: 'Durand', given: ['Léa'] }], birthDate: '1980-02-29' })).toEqual([]);
  });

  it('reports an unknown element by name and location', () => {
    const issues = issuesOf({ resourceType: 'Patient', name: [{ family: 'X', nickname: 'Y' }], foo: 1 });
    expect(summary(issues)).toEqual([
      "structure Patient.foo: unknown element 'foo'",
      "structure Patient.name[0].nickname: unknown element 'nickname'",
    ]);
  });

  it('reports a missing required element as required', () => {
    const issues = issuesOf({ resourceType: 'Patient', link: [{ type: 'seealso' }] });
    expect(summary(issues)).toEqual(["required Patient.link[0].other: missing required element 'other'"]);
  });

  it('reports a malformed date as a value problem naming the FHIR type', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', birthDate: '2020-13-01' })))
      .toEqual(['value Patient.birthDate: "2020-13-01" is not a valid FHIR date']);
  });

  it('reports a wrong JSON type at the exact array index', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', name: [{ given: ['A', 3] }] })))
      .toEqual(['value Patient.name[0].given[1]: must be a JSON string, not 3']);
  });

  it('reports a repeating element sent as a single object', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', name: { family: 'X' } })))
      .toEqual(["structure Patient.name: 'name' repeats, so it must be a JSON array"]);
  });

  it('reports a complex element sent as a primitive, which the official file alone lets through', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', name: ['Dupont'], maritalStatus: 5 }))).toEqual([
      'structure Patient.name[0]: must be a JSON object, not "Dupont"',
      'structure Patient.maritalStatus: must be a JSON object, not 5',
    ]);
  });

  it('reports a code outside a required value set', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', gender: 'homme' })))
      .toEqual(['value Patient.gender: "homme" is not an allowed code here (male | female | other | unknown)']);
  });

  it('reports a resourceType that is not the type validated', () => {
    expect(summary(schemaIssues('Patient', { resourceType: 'Practitioner' }, 'Patient')))
      .toEqual(["value Patient.resourceType: resourceType must be 'Patient', not \"Practitioner\""]);
  });

  it('rejects __proto__, constructor and prototype as unknown elements', () => {
    const parsed = parseFhirJson('{"resourceType":"Patient","__proto__":{"x":1},"constructor":{"y":2},"name":[{"prototype":"z"}]}');
    expect(summary(schemaIssues('Patient', parsed.value, 'Patient'))).toEqual([
      "structure Patient.__proto__: unknown element '__proto__'",
      "structure Patient.constructor: unknown element 'constructor'",
      "structure Patient.name[0].prototype: unknown element 'prototype'",
    ]);
  });

  it('refuses an integer written with a decimal point or an exponent, as the raw text shows', () => {
    const decimal = parseFhirJson('{"resourceType":"Patient","multipleBirthInteger":2.0}');
    expect(summary(schemaIssues('Patient', decimal.value, 'Patient', decimal.decimalLiterals)))
      .toEqual(['value Patient.multipleBirthInteger: integer value is written 2.0: an integer is written without a decimal point or exponent']);
    const exponent = parseFhirJson('{"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"x"},"patient":{"reference":"Patient/1"},"occurrenceString":"x","protocolApplied":[{"doseNumberPositiveInt":1e0}]}');
    expect(schemaIssues('Immunization', exponent.value, 'Immunization', exponent.decimalLiterals).map((i) => i.expression?.[0]))
      .toEqual(['Immunization.protocolApplied[0].doseNumberPositiveInt']);
  });

  it('accepts a decimal written with a decimal point', () => {
    const parsed = parseFhirJson('{"resourceType":"Immunization","status":"completed","vaccineCode":{"text":"x"},"patient":{"reference":"Patient/1"},"occurrenceString":"x","doseQuantity":{"value":5.0}}');
    expect(schemaIssues('Immunization', parsed.value, 'Immunization', parsed.decimalLiterals)).toEqual([]);
  });

  it('refuses fractional, zero and out-of-range values of integer types in a plain resource', () => {
    expect(summary(issuesOf({ resourceType: 'Patient', multipleBirthInteger: 1.5 })))
      .toEqual(['value Patient.multipleBirthInteger: integer value 1.5 is not a whole number']);
    const zero = issuesOf({ resourceType: 'List', status: 'current', mode: 'working', entry: [{ item: { reference: 'Patient/1' } }], extension: [{ url: 'http://e', valuePositiveInt: 0 }] });
    expect(summary(zero)).toEqual(['value List.extension[0].valuePositiveInt: positiveInt value 0 is out of range (1 to 2147483647)']);
    expect(issuesOf({ resourceType: 'Patient', multipleBirthInteger: 2 ** 31 }).map((i) => i.details?.coding?.[0]?.code)).toEqual(['NOT_AN_INTEGER']);
  });

  it('checks a contained resource against its own type only, without oneOf noise', () => {
    const issues = issuesOf({
      resourceType: 'Patient',
      contained: [{ resourceType: 'Organization', id: 'o1', name: 'X', colour: 'red' }],
      managingOrganization: { reference: '#o1' },
    });
    expect(summary(issues)).toEqual(["structure Patient.contained[0].colour: unknown element 'colour'"]);
  });

  it('checks integer literals inside contained resources at their own path', () => {
    const parsed = parseFhirJson('{"resourceType":"Patient","contained":[{"resourceType":"Patient","id":"c","multipleBirthInteger":3.0}],"link":[{"other":{"reference":"#c"},"type":"seealso"}]}');
    expect(schemaIssues('Patient', parsed.value, 'Patient', parsed.decimalLiterals).map((i) => i.expression?.[0]))
      .toEqual(['Patient.contained[0].multipleBirthInteger']);
  });

  it('refuses a contained resource of an unknown or non-R4 type', () => {
    const issues = issuesOf({ resourceType: 'Patient', contained: [{ resourceType: 'Nope', id: 'a' }, { resourceType: 'Project', id: 'b' }] });
    expect(summary(issues)).toEqual([
      "value Patient.contained[0].resourceType: 'Nope' is not an R4 resource type",
      "value Patient.contained[1].resourceType: 'Project' is not an R4 resource type",
    ]);
  });
});
