import type { DocumentReference, Patient, Practitioner } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { extractAccessFacts } from '../access/facts.js';
import { loadConfig } from '../config.js';
import { demoSteps, type SeedStep } from './demo-data.js';
import { DEMO_HOSPITAL, DEMO_IDENTITIES, DEMO_INS_SYSTEM, DEMO_RPPS, insOf, lucasBirthDate } from './demo-identities.js';
import { demoCaller } from './seed.js';

const NOW = new Date('2025-03-15T10:00:00.000Z');
const config = loadConfig({ DATA_DIR: '/nonexistent' });
const STEPS = demoSteps({ now: NOW, insurer: config.insurer, insurerOrganization: 'Organization/assurance-maladie-750000093' });
const all = (steps: readonly SeedStep[]): SeedStep[] => steps.flatMap((s) => [s, ...all(s.then ?? [])]);
const resources = all(STEPS).map((s) => s.resource);
const ofType = <T>(type: string) => resources.filter((r) => r.resourceType === type) as T[];

/** Luhn key check, as RPPS and FINESS numbers carry. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((char, i) => {
    let d = Number(char);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  });
  return sum % 10 === 0;
}

describe('D5 the demo identities and data', () => {
  it('D21 gives each holder an INS whose key is 97 minus the 13-digit NIR modulo 97, and a NIR that matches sex and birth', () => {
    expect(insOf('2780675112034')).toBe('278067511203467');
    const patients = ofType<Patient>('Patient');
    expect(patients.length).toBeGreaterThanOrEqual(5);
    for (const patient of patients) {
      const ins = patient.identifier!.find((i) => i.system === DEMO_INS_SYSTEM)!.value!;
      expect(ins).toMatch(/^\d{15}$/);
      expect(Number(ins.slice(13))).toBe(97 - Number(BigInt(ins.slice(0, 13)) % 97n));
      expect(ins[0]).toBe(patient.gender === 'male' ? '1' : '2');
      expect(ins.slice(1, 5)).toBe(`${patient.birthDate!.slice(2, 4)}${patient.birthDate!.slice(5, 7)}`);
    }
    expect(new Set(patients.map((p) => p.identifier![0]!.value)).size).toBe(patients.length);
  });

  it('R2.3 keeps Lucas a minor whenever the demo is loaded', () => {
    expect(lucasBirthDate(new Date('2031-01-01T00:00:00Z'))).toBe('2016-06-14');
  });

  it('R1.2 uses well-formed RPPS and FINESS numbers (11 and 9 digits, Luhn key)', () => {
    for (const rpps of Object.values(DEMO_RPPS)) expect(rpps.length === 11 && luhnValid(rpps), rpps).toBe(true);
    expect(DEMO_HOSPITAL.finess.length === 9 && luhnValid(DEMO_HOSPITAL.finess)).toBe(true);
    expect(luhnValid(config.insurer.finess)).toBe(true);
  });

  it('D3 gives every identity claims a verified token may carry, and each professional a Practitioner of the directory', () => {
    const practitioners = ofType<Practitioner>('Practitioner');
    for (const identity of DEMO_IDENTITIES) {
      const caller = demoCaller(identity.key, config.baseUrl);
      expect(caller.role).toBe(identity.claims.role);
      if (caller.fhirUser?.startsWith('Practitioner/')) {
        const practitioner = practitioners.find((p) => `Practitioner/${p.id}` === caller.fhirUser);
        expect(practitioner?.identifier?.[0]?.value, identity.key).toBe(caller.rpps);
      }
    }
    expect(new Set(DEMO_IDENTITIES.map((i) => i.key)).size).toBe(DEMO_IDENTITIES.length);
  });

  it('D5 is written by demo identities only, under fixed ids starting with demo-', () => {
    const keys = new Set(DEMO_IDENTITIES.map((i) => i.key));
    for (const step of all(STEPS)) {
      expect(keys.has(step.by), step.by).toBe(true);
      expect(step.resource.id, step.resource.resourceType).toMatch(/^demo-/);
    }
  });

  it('D5 holds documents of every family and every masking label', () => {
    const documents = ofType<DocumentReference>('DocumentReference');
    const facts = documents.map((d) => extractAccessFacts(d));
    expect(new Set(facts.map((f) => f.family))).toEqual(
      new Set(['summary', 'reports', 'mental-health', 'imaging', 'lab', 'treatments', 'prevention', 'wishes', 'personal', 'reimbursement']),
    );
    expect(new Set(facts.flatMap((f) => f.labels ?? []))).toEqual(new Set(['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX']));
    expect(ofType('AllergyIntolerance').length).toBeGreaterThan(0);
    expect(ofType('Immunization').length).toBeGreaterThan(0);
  });
});
