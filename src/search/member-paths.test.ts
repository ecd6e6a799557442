import { readFileSync, readdirSync } from 'node:fs';
import type { Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { compiledParameters } from './definitions.js';
import { compileFhirpath, compileMemberPaths } from './expression.js';

/**
 * The member-path walker stands in for FHIRPath on plain paths: over every official example and the
 * Synthea bulk set, it must give exactly what the engine gives, for every parameter it takes over.
 */

const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

function corpus(): Resource[] {
  const out: Resource[] = [];
  const examples = new URL('r4-examples/', CORPUS);
  for (const dir of readdirSync(examples)) {
    for (const file of readdirSync(new URL(`${dir}/`, examples))) {
      const resource = JSON.parse(readFileSync(new URL(`${dir}/${file}`, examples), 'utf8')) as Resource & { entry?: Array<{ resource?: Resource }> };
      out.push(resource);
      for (const entry of resource.entry ?? []) if (entry.resource) out.push(entry.resource);
    }
  }
  const synthea = new URL('synthea-r4-bulk-ndjson-10-patients/', CORPUS);
  for (const file of readdirSync(synthea).filter((f) => f.endsWith('.ndjson'))) {
    const lines = readFileSync(new URL(file, synthea), 'utf8').split('\n').filter((l) => l.trim());
    for (const line of lines.slice(0, 200)) out.push(JSON.parse(line) as Resource);
  }
  return out;
}

describe('member paths', () => {
  it('evaluate plain paths exactly as FHIRPath does, over the official examples and Synthea', () => {
    const resources = corpus();
    let compared = 0;
    const taken = new Set<string>();
    for (const resource of resources) {
      for (const param of compiledParameters(resource.resourceType)) {
        const expression = param.def.expression;
        if (!expression || param.def.type === 'composite') continue;
        const fast = compileMemberPaths(expression);
        if (!fast) continue;
        taken.add(`${resource.resourceType}.${param.def.code}`);
        const slow = compileFhirpath(expression);
        expect(fast(resource), `${resource.resourceType}/${resource.id} ${param.def.code}: ${expression}`).toEqual(slow(resource));
        compared++;
      }
    }
    expect(resources.length).toBeGreaterThan(500);
    expect(compared).toBeGreaterThan(5_000);
    // the common parameters and the DMP's hot paths are among those taken over
    for (const key of ['DocumentReference.patient', 'DocumentReference.date', 'AuditEvent.agent', 'AuditEvent.entity', 'Patient.identifier', 'DocumentReference._profile']) {
      expect(taken, key).toContain(key);
    }
  });

  it('tests the target of a reference as the rewritten resolve() does', () => {
    const param = compiledParameters('DocumentReference').find((p) => p.def.code === 'patient')!;
    const fast = compileMemberPaths(param.def.expression)!;
    const slow = compileFhirpath(param.def.expression);
    const subjects = [
      { reference: 'Patient/p1' },
      { reference: 'https://x.example/fhir/Patient/p1/_history/2' },
      { reference: 'Group/g1' },
      { reference: 'Group/g1', type: 'Patient' },
      { type: 'Patient', identifier: { value: '1' } },
      { display: 'nobody' },
    ];
    for (const subject of subjects) {
      const doc = { resourceType: 'DocumentReference', status: 'current', content: [], subject };
      expect(fast(doc), JSON.stringify(subject)).toEqual(slow(doc));
    }
    expect(subjects.filter((subject) => fast({ resourceType: 'DocumentReference', subject }).length > 0)).toHaveLength(4);
  });

  it('leaves functions, choice types and unknown paths to FHIRPath', () => {
    expect(compileMemberPaths("Patient.name.where(use = 'official')")).toBeUndefined();
    expect(compileMemberPaths('Observation.value')).toBeUndefined();
    expect(compileMemberPaths('Patient.nothing')).toBeUndefined();
    expect(compileMemberPaths('(Observation.value as Quantity)')).toBeUndefined();
  });
});
