import { describe, expect, it } from 'vitest';
import { parseScope, parseScopes, scopeAllows, type ScopeInteraction } from './smart-scopes.js';

const ALL: ScopeInteraction[] = ['read', 'search', 'create', 'update', 'delete'];

function allowed(claim: string, type: string): ScopeInteraction[] {
  return ALL.filter((interaction) => scopeAllows(parseScopes(claim), type, interaction));
}

describe('SMART scopes', () => {
  it('sets no bound when the token has no scope claim (D3)', () => {
    expect(ALL.every((interaction) => scopeAllows(undefined, 'DocumentReference', interaction))).toBe(true);
  });

  it('allows nothing when the scope claim holds no resource scope', () => {
    expect(allowed('openid fhirUser launch/patient offline_access', 'Patient')).toEqual([]);
  });

  it('reads v1 read as read and search, and write as create, update and delete', () => {
    expect(allowed('patient/*.read', 'Observation')).toEqual(['read', 'search']);
    expect(allowed('user/DocumentReference.write', 'DocumentReference')).toEqual(['create', 'update', 'delete']);
    expect(allowed('user/DocumentReference.write', 'Binary')).toEqual([]);
  });

  it('reads a v1 wildcard as every interaction on every type', () => {
    expect(allowed('user/*.*', 'Consent')).toEqual(ALL);
  });

  it('reads v2 permission letters one by one', () => {
    expect(allowed('user/DocumentReference.rs', 'DocumentReference')).toEqual(['read', 'search']);
    expect(allowed('patient/*.cruds', 'AllergyIntolerance')).toEqual(ALL);
    expect(allowed('system/Binary.c', 'Binary')).toEqual(['create']);
  });

  it('unions several scopes', () => {
    expect(allowed('user/Patient.r user/Patient.s user/Consent.cu', 'Patient')).toEqual(['read', 'search']);
    expect(allowed('user/Patient.r user/Patient.s user/Consent.cu', 'Consent')).toEqual(['create', 'update']);
  });

  it('drops malformed scopes instead of guessing what they meant', () => {
    for (const text of ['*.*', 'user/DocumentReference', 'user/documentreference.read', 'user/Patient.sr', 'user/Patient.rr', 'user/Patient.x', 'admin/*.read', 'patient/Observation.read?category=lab']) {
      expect(parseScope(text), text).toBeUndefined();
    }
  });

  it('keeps a v2 restriction but lets the restricted scope grant nothing', () => {
    const [scope] = parseScopes('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
    expect(scope).toMatchObject({ version: 2, resourceType: 'Observation', restriction: 'category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory' });
    expect(allowed('patient/Observation.rs?category=laboratory', 'Observation')).toEqual([]);
    expect(allowed('patient/Observation.rs?category=laboratory patient/Observation.r', 'Observation')).toEqual(['read']);
  });

  it('records context, version and text of each scope', () => {
    expect(parseScope('patient/*.read')).toEqual({ context: 'patient', resourceType: '*', interactions: ['read', 'search'], version: 1, text: 'patient/*.read' });
    expect(parseScope('user/Consent.crud')).toEqual({ context: 'user', resourceType: 'Consent', interactions: ['create', 'read', 'update', 'delete'], version: 2, text: 'user/Consent.crud' });
  });
});
