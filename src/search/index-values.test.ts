import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { FhirResource, Resource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { extractIndex as extract } from './index-values.js';

/** Typed as a concrete resource, so that literals are checked against their own type. */
const extractIndex = (resource: FhirResource) => extract(resource);

const SYNTHEA = new URL('../../../shared/corpus/synthea-r4-bulk-ndjson-10-patients/', import.meta.url);
const synthea = (type: string): Resource[] =>
  readFileSync(new URL(`${type}.000.ndjson`, SYNTHEA), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Resource);

const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';

describe('extractIndex', () => {
  it('stores a coding as system|code, code and system|, and |code only for codes without a system', () => {
    const idx = extractIndex({ resourceType: 'DocumentReference', status: 'current', content: [], type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] } });
    expect(idx.type).toEqual(['http://loinc.org|11488-4', '11488-4', 'http://loinc.org|']);
    expect(idx.status).toEqual(['current', '|current']);
  });

  it('stores a code system given as urn:oid: under its canonical URL', () => {
    const idx = extractIndex({
      resourceType: 'DocumentReference', status: 'current', content: [],
      securityLabel: [{ coding: [{ system: 'urn:oid:1.2.250.1.213.1.1.4.13', code: 'MASQUE_PS' }] }],
    });
    expect(idx['security-label']).toContain(`${TRE_A07}|MASQUE_PS`);
    expect(idx['security-label']).not.toContain('urn:oid:1.2.250.1.213.1.1.4.13|MASQUE_PS');
  });

  it('stores an IdNat_PS identifier under the RPPS too, and the other way round', () => {
    const a = extractIndex({ resourceType: 'Practitioner', identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: '810001234567' }] });
    expect(a.identifier).toContain('https://rpps.esante.gouv.fr|10001234567');
    const b = extractIndex({ resourceType: 'Practitioner', identifier: [{ system: 'https://rpps.esante.gouv.fr', value: '10001234567' }] });
    expect(b.identifier).toContain('urn:oid:1.2.250.1.71.4.2.1|810001234567');
  });

  it('folds names for search and keeps them as written for :exact', () => {
    const idx = extractIndex({ resourceType: 'Patient', name: [{ family: 'Cœur-Lévêque', given: ['Hélène', 'Zoé'] }] });
    expect(idx.name).toEqual(expect.arrayContaining(['helene', 'zoe', 'coeur-leveque', 'helene zoe coeur-leveque']));
    expect(idx['name:exact']).toContain('Hélène');
    expect(idx['name:sort']).toEqual(['coeur-leveque helene zoe']);
  });

  it('stores references as Type/id, without version, absolute URLs as written', () => {
    const idx = extractIndex({
      resourceType: 'DocumentReference', status: 'current', content: [],
      subject: { reference: 'Patient/p1/_history/2' },
      author: [{ reference: 'https://other.example/fhir/Practitioner/x/_history/1' }, { reference: '#contained' }, { identifier: { system: 'https://rpps.esante.gouv.fr', value: '10001234567' } }],
    });
    expect(idx.subject).toEqual(['Patient/p1']);
    expect(idx.patient).toEqual(['Patient/p1']);
    expect(idx.author).toEqual(['https://other.example/fhir/Practitioner/x']);
    expect(idx['author:identifier']).toContain('https://rpps.esante.gouv.fr|10001234567');
  });

  it('keeps a Practitioner subject out of the patient parameter', () => {
    const idx = extractIndex({ resourceType: 'DocumentReference', status: 'current', content: [], subject: { reference: 'Practitioner/x' } });
    expect(idx.subject).toEqual(['Practitioner/x']);
    expect(idx.patient).toBeUndefined();
  });

  it('stores dates as UTC ranges covering their precision', () => {
    const idx = extractIndex({ resourceType: 'Patient', birthDate: '1980', deceasedDateTime: '2019-03-02T00:30:00+01:00' });
    expect(idx.birthdate).toEqual([{ lo: '1980-01-01T00:00:00.000Z', hi: '1980-12-31T23:59:59.999Z' }]);
    expect(idx['death-date']).toEqual([{ lo: '2019-03-01T23:30:00.000Z', hi: '2019-03-01T23:30:00.999Z' }]);
    expect(idx['birthdate:sort']).toEqual(['1980-01-01T00:00:00.000Z']);
  });

  it('stores a period open at one end as reaching the far future', () => {
    const idx = extractIndex({ resourceType: 'PractitionerRole', period: { start: '2020-02' } });
    expect(idx.date).toEqual([{ lo: '2020-02-01T00:00:00.000Z', hi: '9999-12-31T23:59:59.999Z' }]);
  });

  it('indexes the choice type it can read and skips the other', () => {
    expect(extractIndex({ resourceType: 'Immunization', status: 'completed', vaccineCode: {}, patient: {}, occurrenceString: 'enfance' }).date).toBeUndefined();
    expect(extractIndex({ resourceType: 'Immunization', status: 'completed', vaccineCode: {}, patient: {}, occurrenceDateTime: '2019-05' }).date).toHaveLength(1);
  });

  it('stores the composite relationship as code$reference', () => {
    const idx = extractIndex({ resourceType: 'DocumentReference', status: 'current', content: [], relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/d2' } }] });
    expect(idx.relationship).toContain('replaces$DocumentReference/d2');
  });

  it('stores isArchived false when the PDSm extension is absent', () => {
    expect(extractIndex({ resourceType: 'DocumentReference', status: 'current', content: [] }).isArchived).toContain('false');
  });

  it('stores no empty arrays, so :missing is a test of existence', () => {
    const idx = extractIndex({ resourceType: 'Patient', name: [{ text: '' }], identifier: [] });
    for (const values of Object.values(idx)) expect(values.length).toBeGreaterThan(0);
    expect(idx.identifier).toBeUndefined();
  });

  it('reads every Synthea resource of a supported type without throwing', () => {
    let count = 0;
    for (const type of RESOURCE_TYPES) {
      let resources: Resource[];
      try {
        resources = synthea(type);
      } catch {
        continue; // the bulk set has no file for this type
      }
      for (const r of resources) expect(() => extract(r)).not.toThrow();
      count += resources.length;
    }
    expect(count).toBeGreaterThan(1500);
  });

  it('reads every official R4 example of a supported type without throwing', () => {
    let count = 0;
    for (const type of RESOURCE_TYPES) {
      const dir = new URL(`../../../shared/corpus/r4-examples/${type}/`, import.meta.url);
      if (!existsSync(dir)) continue; // no Communication example in the corpus
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
        const resource = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Resource;
        expect(() => extract(resource), file).not.toThrow();
        count++;
      }
    }
    expect(count).toBe(100);
  });

  it('extracts what a realistic Synthea DocumentReference and Patient hold', () => {
    const doc = synthea('DocumentReference').find((d) => d.id === '00212c89-d070-985e-b695-b5f12fffd23e')!;
    const idx = extract(doc);
    expect(idx.patient).toEqual(['Patient/129c6ac7-8d06-89de-ad63-0204a93e76c3']);
    expect(idx.type).toEqual(expect.arrayContaining(['http://loinc.org|34117-2', 'http://loinc.org|51847-2']));
    expect(idx.date).toEqual([{ lo: '1987-11-19T05:22:16.824Z', hi: '1987-11-19T05:22:16.824Z' }]);
    const patient = extract(synthea('Patient').find((p) => p.id === '129c6ac7-8d06-89de-ad63-0204a93e76c3')!);
    expect(patient['identifier:of-type']).toContain('http://terminology.hl7.org/CodeSystem/v2-0203|SS|999-94-5397');
    expect(patient.deceased).toContain('true');
  });

  it('extracts a DocumentReference in well under a millisecond', () => {
    const docs = synthea('DocumentReference');
    for (const d of docs) extract(d); // warm up
    const start = performance.now();
    for (const d of docs) extract(d);
    const perDocument = (performance.now() - start) / docs.length;
    expect(perDocument).toBeLessThan(1);
  });
});
