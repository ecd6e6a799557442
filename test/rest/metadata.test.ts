import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { capabilityStatement } from '../../src/fhir/capability.js';
import { RESOURCE_TYPES } from '../../src/fhir/registry.js';
import { validateResource } from '../../src/validation/validate.js';

describe('the CapabilityStatement', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('is served at /fhir/metadata, lists every supported type and is valid R4', async () => {
    const res = await t.request.get('/fhir/metadata');
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('CapabilityStatement');
    expect(res.body.fhirVersion).toBe('4.0.1');
    const types = res.body.rest[0].resource.map((r: { type: string }) => r.type);
    expect(types.sort()).toEqual([...RESOURCE_TYPES].sort());
    const patient = res.body.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient.interaction.map((i: { code: string }) => i.code)).toContain('vread');
    expect(patient.searchParam.map((p: { name: string }) => p.name)).toContain('identifier');
    expect(validateResource('CapabilityStatement', res.body)).toBeUndefined();
  });

  it('matches the checked-in capability/CapabilityStatement.json (regenerate with npm run capability)', async () => {
    const checkedIn = JSON.parse(await readFile(new URL('../../capability/CapabilityStatement.json', import.meta.url), 'utf8'));
    expect(capabilityStatement('http://localhost:8080/fhir')).toEqual(checkedIn);
  });
});
