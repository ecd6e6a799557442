import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StructureDefinition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { knownProfiles, loadProfile, profileIssues, profilesOf } from './profiles.js';
import { validationReport } from './validate.js';

const DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));
const FILES = readdirSync(DIR).filter((n) => n.startsWith('StructureDefinition-'));
const DMP_PATIENT = 'https://dmp-fhir-server.example/StructureDefinition/dmp-patient';
const DMP_DOC = 'https://dmp-fhir-server.example/StructureDefinition/dmp-document-reference';
const TRE_A07 = 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument';
const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';

const sd = (file: string) => JSON.parse(readFileSync(DIR + file, 'utf8')) as StructureDefinition;
const summary = (issues: ReturnType<typeof profileIssues>) => issues.map((i) => `${i.severity} ${i.diagnostics?.split(':')[0]} @ ${i.expression?.[0]}`);

function dmpDocument(extra: Record<string, unknown> = {}) {
  return {
    resourceType: 'DocumentReference',
    meta: { profile: [DMP_DOC] },
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
    category: [{ coding: [{ system: TRE_A03, code: '10' }] }],
    subject: { reference: 'Patient/alice' },
    content: [{ attachment: { contentType: 'application/pdf' } }],
    ...extra,
  };
}

describe('our profiles', () => {
  it('are valid R4 StructureDefinitions with canonical URLs under our base', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(2);
    for (const file of FILES) {
      const definition = sd(file);
      expect(validationReport('StructureDefinition', definition).status, file).toBe(200);
      expect(definition.url).toBe(`https://dmp-fhir-server.example/StructureDefinition/${definition.id}`);
      expect(file).toBe(`StructureDefinition-${definition.id}.json`);
    }
    expect([...knownProfiles().keys()].sort()).toEqual([DMP_DOC, DMP_PATIENT]);
    expect(profilesOf('Patient')).toEqual([DMP_PATIENT]);
  });

  it('back every min and binding of a differential with a constraint that names the element', () => {
    for (const file of FILES) {
      const elements = sd(file).differential!.element;
      const constraints = elements.flatMap((e) => (e.constraint ?? []).map((c) => ({ path: e.path, expression: c.expression! })));
      for (const e of elements.filter((x) => (x.min ?? 0) > 0 || x.binding || x.type)) {
        const name = e.path.split('.').pop()!;
        const parent = e.path.split('.').slice(0, -1).join('.');
        const backed = constraints.some((c) => c.path === e.path || (c.path === parent && c.expression.includes(name)));
        expect(backed, `${file} ${e.path}`).toBe(true);
      }
    }
  });

  it('refuse to load a constraint without an expression', () => {
    const broken = sd(FILES[0]!);
    delete broken.differential!.element[0]!.constraint![0]!.expression;
    expect(() => loadProfile(broken)).toThrow(/no expression/);
  });
});

describe('profileIssues', () => {
  it('finds nothing wrong with a document meeting dmp-document-reference', () => {
    expect(profileIssues(dmpDocument({ securityLabel: [{ coding: [{ system: TRE_A07, code: 'MASQUE_PS' }] }] }), { reportUnknown: true })).toEqual([]);
  });

  it('names the constraint key and the FHIRPath location of each violation', () => {
    const bad = dmpDocument({
      subject: undefined,
      category: [{ coding: [{ system: 'http://example.org', code: 'x' }] }],
      securityLabel: [{ coding: [{ system: TRE_A07, code: 'N' }] }, { coding: [{ system: 'urn:oid:2.16.840.1.113883.5.25', code: 'N' }] }],
    });
    expect(summary(profileIssues(bad, { reportUnknown: true }))).toEqual([
      'error dmp-doc-1 @ DocumentReference',
      'error dmp-doc-4 @ DocumentReference',
      'error dmp-doc-5 @ DocumentReference.securityLabel[0]',
    ]);
  });

  it('checks a patient against dmp-patient: an INS is required, 15 characters with its key', () => {
    const patient = (value?: string) => ({
      resourceType: 'Patient',
      meta: { profile: [`${DMP_PATIENT}|0.1.0`] },
      identifier: [{ system: 'http://example.org/mrn', value: 'M1' }, ...(value ? [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value }] : [])],
    });
    expect(summary(profileIssues(patient(), { reportUnknown: false }))).toEqual(['error dmp-pat-1 @ Patient']);
    expect(summary(profileIssues(patient('2800175123'), { reportUnknown: false }))).toEqual(['error dmp-pat-2 @ Patient.identifier[1]']);
    expect(summary(profileIssues(patient('280017512345678'), { reportUnknown: false }))).toEqual(['error dmp-pat-3 @ Patient.identifier[1]']);
    expect(profileIssues(patient('280017512345610'), { reportUnknown: false })).toEqual([]);
  });

  it('reports a profile it does not know only when asked to, and a profile of another type as an error', () => {
    const unknown = { resourceType: 'Patient', meta: { profile: ['http://interop.esante.gouv.fr/ig/fhir/core/StructureDefinition/fr-core-patient'] } };
    expect(profileIssues(unknown, { reportUnknown: false })).toEqual([]);
    expect(summary(profileIssues(unknown, { reportUnknown: true }))).toEqual(['warning profile http @ Patient.meta.profile']);
    const wrongType = { resourceType: 'Patient', meta: { profile: [DMP_DOC] } };
    expect(profileIssues(wrongType, { reportUnknown: false })[0]).toMatchObject({ severity: 'error', diagnostics: expect.stringContaining('constrains DocumentReference') });
    expect(profileIssues({ resourceType: 'Patient', meta: { profile: ['http://hl7.org/fhir/StructureDefinition/Patient'] } }, { reportUnknown: true })).toEqual([]);
  });

  it('applies the profiles asked for besides meta.profile', () => {
    expect(summary(profileIssues({ resourceType: 'Patient' }, { reportUnknown: false, extra: [DMP_PATIENT] }))).toEqual(['error dmp-pat-1 @ Patient']);
  });
});
