import type { OperationOutcomeIssue } from 'fhir/r4';
import { compile } from 'fhirpath';
import { describe, expect, it } from 'vitest';
import { constraintTable } from './constraint-table.js';
import { CORRECTED_INVARIANTS, INVARIANT_PRECONDITIONS, NATIVE_INVARIANTS, SKIPPED_INVARIANTS } from './invariant-exceptions.js';
import { invariantIssues } from './invariants.js';
import { r4model } from './r4-model.js';

const errors = (resource: Record<string, unknown>) =>
  invariantIssues(resource, String(resource.resourceType))
    .filter((i: OperationOutcomeIssue) => i.severity === 'error')
    .map((i) => `${i.expression?.[0]} ${i.diagnostics?.split(':')[0]}`);

const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const allergy = (extra: Record<string, unknown>) => ({ resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p1' }, ...extra });
const org = (id: string) => ({ resourceType: 'Organization', id, name: `Org ${id}` });

describe('FHIRPath invariants', () => {
  it('finds nothing wrong in a valid Patient', () => {
    expect(errors({ resourceType: 'Patient', name: [{ family: 'Durand', period: { start: '2000', end: '2010' } }] })).toEqual([]);
  });

  it('flags a Period that ends before it starts (per-1), wherever the Period is', () => {
    expect(errors({
      resourceType: 'Patient',
      name: [{ family: 'A' }, { family: 'B', period: { start: '2020-01-02', end: '2020-01-01' } }],
      identifier: [{ value: 'x', period: { start: '2021-05-01T10:00:00Z', end: '2021-05-01T09:00:00Z' } }],
    })).toEqual(['Patient.name[1].period per-1', 'Patient.identifier[0].period per-1']);
  });

  it('accepts a Period whose bounds have different precisions rather than guessing', () => {
    expect(errors({ resourceType: 'Patient', name: [{ family: 'A', period: { start: '2020', end: '2020-01-01' } }] })).toEqual([]);
  });

  it('requires a clinical status unless the allergy was entered in error (ait-1)', () => {
    expect(errors(allergy({}))).toEqual(['AllergyIntolerance ait-1']);
  });

  it('forbids a clinical status on an allergy entered in error (ait-2)', () => {
    expect(errors(allergy({
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ system: VERIFICATION, code: 'entered-in-error' }] },
    }))).toEqual(['AllergyIntolerance ait-2']);
  });

  it('applies element invariants to each instance of the element (pat-1, imm-1)', () => {
    expect(errors({ resourceType: 'Patient', contact: [{ name: { family: 'Ok' } }, { gender: 'male' }] })).toEqual(['Patient.contact[1] pat-1']);
    expect(errors({
      resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'x' }, patient: { reference: 'Patient/1' },
      occurrenceDateTime: '2020-01-01', education: [{ presentationDate: '2020-01-01' }],
    })).toEqual(['Immunization.education[0] imm-1']);
  });

  it('forbids nested contained resources (dom-2)', () => {
    const inner = { resourceType: 'Organization', id: 'inner', name: 'I' };
    expect(errors({
      resourceType: 'Patient', contained: [{ ...org('o1'), contained: [inner] }], managingOrganization: { reference: '#o1' },
    })).toContain('Patient dom-2');
  });

  it('requires a contained resource to be referenced (dom-3) and accepts one that is', () => {
    expect(errors({ resourceType: 'Patient', contained: [org('o1')] })).toEqual(['Patient dom-3']);
    expect(errors({ resourceType: 'Patient', contained: [org('o1')], managingOrganization: { reference: '#o1' } })).toEqual([]);
  });

  it('accepts a contained resource that refers to its container with # (dom-3, ref-1 as corrected)', () => {
    const author = { resourceType: 'Practitioner', id: 'pr', name: [{ family: 'X' }], extension: [{ url: 'http://e', valueReference: { reference: '#' } }] };
    expect(errors({ resourceType: 'Patient', contained: [author] })).toEqual([]);
  });

  it('forbids meta.versionId, meta.lastUpdated (dom-4) and security labels (dom-5) on contained resources', () => {
    expect(errors({
      resourceType: 'Patient',
      contained: [{ ...org('o1'), meta: { versionId: '2', security: [{ system: 'http://s', code: 'R' }] } }],
      managingOrganization: { reference: '#o1' },
    })).toEqual(['Patient dom-4', 'Patient dom-5']);
  });

  it("evaluates a contained resource's own invariants at its location (org-1)", () => {
    expect(errors({
      resourceType: 'Patient', contained: [{ resourceType: 'Organization', id: 'o1', active: true }], managingOrganization: { reference: '#o1' },
    })).toEqual(['Patient.contained[0] org-1']);
  });

  it('requires a local reference to name a contained resource (ref-1)', () => {
    expect(errors({ resourceType: 'Patient', managingOrganization: { reference: '#nowhere' } })).toEqual(['Patient.managingOrganization ref-1']);
  });

  it('checks extensions everywhere, primitive extensions included (ext-1)', () => {
    expect(errors({
      resourceType: 'Patient',
      birthDate: '1980-01-01',
      _birthDate: { extension: [{ url: 'http://e', valueDateTime: '1980-01-01T10:00:00Z', extension: [{ url: 'x', valueString: 'y' }] }] },
    })).toEqual(['Patient._birthDate.extension[0] ext-1']);
  });

  it('reports list and organisation rules (lst-1, org-1)', () => {
    expect(errors({ resourceType: 'List', status: 'current', mode: 'working', emptyReason: { text: 'x' }, entry: [{ item: { reference: 'Patient/1' } }] }))
      .toEqual(['List lst-1']);
    expect(errors({ resourceType: 'Organization', active: true })).toEqual(['Organization org-1']);
  });

  it('returns warnings, such as the missing narrative of dom-6, as warning issues', () => {
    const issues = invariantIssues({ resourceType: 'Patient' }, 'Patient');
    expect(issues.map((i) => [i.severity, i.code, i.diagnostics])).toEqual([
      ['warning', 'invariant', 'dom-6: A resource should have narrative for robust management'],
    ]);
  });

  it('compiles every R4 invariant it evaluates', () => {
    const failures: string[] = [];
    for (const [path, constraints] of constraintTable()) {
      for (const c of constraints) {
        try {
          compile({ base: path, expression: c.expression }, r4model);
        } catch (error) {
          failures.push(`${path} ${c.key}: ${String(error)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('decides the native invariants exactly as their FHIRPath expressions do', () => {
    const extensions: Array<Record<string, unknown>> = [
      { url: 'a', valueString: 'x' },
      { url: 'a', valueCodeableConcept: { text: 'x' } },
      { url: 'a', extension: [{ url: 'b', valueBoolean: true }] },
      { url: 'a', valueString: 'x', extension: [{ url: 'b', valueBoolean: true }] },
      { url: 'a' },
      { url: 'a', _valueString: { extension: [{ url: 'b', valueBoolean: true }] } },
      { url: 'a', id: 'e1', valueReference: { reference: 'Patient/1' } },
    ];
    for (const [key, native] of NATIVE_INVARIANTS) {
      const expression = [...constraintTable().values()].flat().find((c) => c.key === key)!.expression;
      const viaFhirPath = compile({ base: 'Extension', expression }, r4model, { async: false });
      for (const node of extensions) expect(native.holds(node), JSON.stringify(node)).toBe(viaFhirPath(node, {})[0]);
    }
  });

  it('skips an invariant by its precondition only where FHIRPath would not find it false', () => {
    const resources = [
      { resourceType: 'Patient' },
      { resourceType: 'Patient', meta: { versionId: '3', security: [{ code: 'R' }] }, managingOrganization: { reference: '#x' } },
    ];
    const references = [{ display: 'x' }, { reference: 'Patient/1' }, { reference: 'http://a/b#c' }, { identifier: { value: '1' } }];
    const samples: Record<string, { base: string; nodes: Array<Record<string, unknown>> }> = {
      'dom-2': { base: 'Patient', nodes: resources },
      'dom-3': { base: 'Patient', nodes: resources },
      'dom-4': { base: 'Patient', nodes: resources },
      'dom-5': { base: 'Patient', nodes: resources },
      'ref-1': { base: 'Reference', nodes: references },
    };
    const table = [...constraintTable().values()].flat();
    for (const [key, precondition] of INVARIANT_PRECONDITIONS) {
      const { base, nodes } = samples[key]!;
      const expression = table.find((c) => c.key === key)!.expression;
      const viaFhirPath = compile({ base, expression }, r4model, { async: false, traceFn: () => {} });
      for (const node of nodes) {
        expect(precondition.applies(node), `${key} ${JSON.stringify(node)}`).toBe(false);
        expect(viaFhirPath(node, { resource: node, rootResource: node }), `${key} ${JSON.stringify(node)}`).not.toEqual([false]);
      }
    }
  });

  it('documents a reason for every skipped or corrected invariant', () => {
    for (const reason of SKIPPED_INVARIANTS.values()) expect(reason.length).toBeGreaterThan(20);
    const documented = [...CORRECTED_INVARIANTS.values(), ...NATIVE_INVARIANTS.values(), ...INVARIANT_PRECONDITIONS.values()];
    for (const c of documented) expect(c.reason.length).toBeGreaterThan(20);
    const evaluated = new Set([...constraintTable().values()].flat().map((c) => c.key));
    for (const key of SKIPPED_INVARIANTS.keys()) expect(evaluated.has(key)).toBe(false);
    expect(evaluated.has('dom-3') && evaluated.has('ref-1')).toBe(true);
  });
});
