import { describe, expect, it } from 'vitest';
import { insIdentifiers, insKey, insProblem, isInsSystem, withInsKey } from './ins.js';
import { profileIssues } from './profiles.js';

/** D21: the INS key is 97 minus the 13-digit number modulo 97; Corsica's 2A/2B count as 19/18. */

const DMP_PATIENT = 'https://dmp-fhir-server.example/StructureDefinition/dmp-patient';

describe('D21 INS key', () => {
  it('computes 97 minus the number modulo 97, on two digits', () => {
    // 2 800 175 123 456 = 97 × 28 867 784 777 + 87, so the key is 10
    expect(insKey('2800175123456')).toBe('10');
    expect(insProblem('280017512345610')).toBeUndefined();
    // a number divisible by 97 has the key 97, never 00
    expect(insKey((97n * 10_000_000_000n).toString().padStart(13, '0'))).toBe('97');
  });

  it('reads a Corsican department 2A as 19 and 2B as 18', () => {
    expect(insKey('185022A123456')).toBe(insKey('1850219123456'));
    expect(insKey('185022B123456')).toBe(insKey('1850218123456'));
    expect(insProblem(withInsKey('185022B123456'))).toBeUndefined();
  });

  it('names a wrong key and the expected one', () => {
    expect(insProblem('280017512345678')).toEqual({ kind: 'wrong-key', value: '280017512345678', expected: '10' });
  });

  it('refuses anything but 13 characters and a 2-digit key, letters only as 2A or 2B', () => {
    for (const value of ['28001751234561', '2800175123456100', '28001AB12345610', '2800175123456AB', '2 8001751234561', '']) {
      expect(insProblem(value)).toEqual({ kind: 'malformed', value });
    }
  });

  it('finds the identifiers of the four INS systems only', () => {
    expect(['8', '9', '10', '11'].every((n) => isInsSystem(`urn:oid:1.2.250.1.213.1.4.${n}`))).toBe(true);
    expect(isInsSystem('urn:oid:1.2.250.1.213.1.4.12')).toBe(false);
    const found = insIdentifiers([
      { system: 'http://example.org/mrn', value: '1' },
      { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '280017512345610' },
    ]);
    expect(found).toEqual([{ index: 1, system: 'urn:oid:1.2.250.1.213.1.4.8', value: '280017512345610' }]);
  });

  it('agrees with the FHIRPath constraints of the dmp-patient profile on every value tried', () => {
    const values: string[] = [];
    let seed = 12345;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648);
    for (let i = 0; i < 300; i++) {
      const first = `${1 + (next() % 2)}${String(next() % 100_000_000).padStart(8, '0')}${String(next() % 10_000).padStart(4, '0')}`;
      const corsica = i % 10 === 0 ? `${first.slice(0, 5)}${i % 20 === 0 ? '2A' : '2B'}${first.slice(7)}` : first;
      const key = String(next() % 100).padStart(2, '0');
      values.push(corsica + key, withInsKey(corsica));
    }
    for (const value of values) {
      const patient = { resourceType: 'Patient', meta: { profile: [DMP_PATIENT] }, identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value }] };
      const byProfile = profileIssues(patient, { reportUnknown: false }).length === 0;
      expect(byProfile, value).toBe(insProblem(value) === undefined);
    }
  });
});
