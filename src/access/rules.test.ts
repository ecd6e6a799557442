import { describe, expect, it } from 'vitest';
import { readProfile } from '../search/profiles-file.js';
import { loadAccessRules, parseAccessRules, readableFamilies } from './rules.js';

/** The data tables of profiles/: loaded, checked, and keeping the examples DMP-RULES.md requires. */

describe('the family table and the habilitation matrix', () => {
  const rules = loadAccessRules();

  it('R4.3 the matrix never lets a pédicure-podologue read mental-health documents', () => {
    expect(readableFamilies(rules, '80', undefined)).not.toContain('mental-health');
    expect(readableFamilies(rules, '80', undefined)).toEqual(['summary', 'prevention', 'allergies', 'wishes']);
  });

  it('R1.3 occupational medicine reads no family, other physicians read them all', () => {
    expect(readableFamilies(rules, '10', 'SM25')).toEqual([]);
    expect([...readableFamilies(rules, '10', 'SM26')].sort()).toEqual([...rules.families.families].sort());
    expect(readableFamilies(rules, '10', 'SM99')).toEqual(readableFamilies(rules, '10', 'SM26'));
  });

  it('R4.2 a profession with no row reads nothing, and no profession reads nothing', () => {
    expect(readableFamilies(rules, '98', undefined)).toEqual([]);
    expect(readableFamilies(rules, undefined, undefined)).toEqual([]);
  });

  it('R4.1 every family of section 11 is in the table', () => {
    expect([...rules.families.families].sort()).toEqual(
      ['allergies', 'imaging', 'lab', 'mental-health', 'personal', 'prevention', 'reimbursement', 'reports', 'summary', 'treatments', 'wishes'],
    );
  });

  it('refuses a matrix naming a family the table does not have', () => {
    const families = readProfile('document-families.json');
    const matrix = { rows: [{ profession: '60', families: ['summary', 'gossip'] }] };
    expect(() => parseAccessRules(families, matrix)).toThrow(/unknown family "gossip"/);
  });

  it('refuses a family table whose type points to an unknown family', () => {
    const families = { ...(readProfile('document-families.json') as object), documentTypes: [{ system: 'http://loinc.org', code: '1-1', family: 'nope' }] };
    expect(() => parseAccessRules(families, { rows: [] })).toThrow(/unknown family "nope"/);
  });

  it('refuses a matrix repeating a row', () => {
    const matrix = { rows: [{ profession: '60', families: [] }, { profession: '60', families: [] }] };
    expect(() => parseAccessRules(readProfile('document-families.json'), matrix)).toThrow(/repeats profession 60/);
  });
});
