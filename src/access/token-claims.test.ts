import type { JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidClaimsError, UnrecognisedRoleError, contextFromClaims } from './token-claims.js';

const BASE = 'https://dmp.example.fr/fhir';
const read = (payload: JWTPayload) => contextFromClaims(payload, { baseUrl: BASE });

const physician = { dmp_role: 'professional', sub: 'ps-1', rpps: '10000000001', profession: '10', specialty: 'SM26' };

describe('token claims (D3)', () => {
  it('describes a physician with every fact the rules need', () => {
    expect(
      read({ ...physician, fhirUser: 'Practitioner/p1', organization: '750712184', purpose_of_use: 'TREAT', scope: 'user/*.rs openid', client_id: 'app' }),
    ).toEqual({
      role: 'professional',
      sub: 'ps-1',
      fhirUser: 'Practitioner/p1',
      rpps: '10000000001',
      profession: '10',
      specialty: 'SM26',
      organization: '750712184',
      purposeOfUse: 'TREAT',
      scopes: [{ context: 'user', resourceType: '*', interactions: ['read', 'search'], version: 2, text: 'user/*.rs' }],
      clientId: 'app',
      breakGlass: false,
    });
  });

  it('leaves scopes undefined without a scope claim: no SMART bound', () => {
    expect(read(physician).scopes).toBeUndefined();
    expect('scopes' in read(physician)).toBe(false);
  });

  it('marks a professional invoking ETREAT or BTG as break-glass (R6.1)', () => {
    expect(read({ ...physician, purpose_of_use: 'ETREAT' }).breakGlass).toBe(true);
    expect(read({ ...physician, purpose_of_use: 'BTG' }).breakGlass).toBe(true);
  });

  it('does not mark a regulator as break-glass: its access is told by role (R6.2)', () => {
    const regulator = read({ ...physician, dmp_role: 'regulator', specialty: 'SM59', purpose_of_use: 'ETREAT' });
    expect(regulator).toMatchObject({ role: 'regulator', purposeOfUse: 'ETREAT', breakGlass: false });
  });

  it('takes the client from azp when there is no client_id', () => {
    expect(read({ ...physician, azp: 'portal' }).clientId).toBe('portal');
  });

  it('reads a fhirUser under this server\'s base URL as a relative reference', () => {
    expect(read({ dmp_role: 'patient', sub: 'x', fhirUser: `${BASE}/Patient/42` }).fhirUser).toBe('Patient/42');
  });

  it('refuses a role outside R1.1 as a valid identity with no right (R1.3)', () => {
    for (const role of ['insurer', 'employer', 'bank', 'Professional']) {
      expect(() => read({ dmp_role: role, sub: 'x' })).toThrow(UnrecognisedRoleError);
    }
  });

  it.each<[string, JWTPayload, RegExp]>([
    ['no dmp_role', { sub: 'x' }, /no "dmp_role"/],
    ['no sub', { dmp_role: 'admin' }, /no "sub"/],
    ['a non-string role', { dmp_role: ['admin'], sub: 'x' }, /"dmp_role" must be a non-empty string/],
    ['a professional without rpps', { ...physician, rpps: undefined }, /needs an "rpps"/],
    ['a professional without profession', { ...physician, profession: undefined }, /needs a "profession"/],
    ['a physician without specialty', { ...physician, specialty: undefined }, /profession 10 needs a "specialty"/],
    ['a pharmacist without specialty', { ...physician, profession: '21', specialty: undefined }, /profession 21 needs a "specialty"/],
    ['a regulator without rpps', { dmp_role: 'regulator', sub: 'x', profession: '10', specialty: 'SM59' }, /needs an "rpps"/],
    ['a delegate without its professional\'s rpps', { dmp_role: 'delegate', sub: 'x', profession: '10' }, /needs an "rpps"/],
    ['an RPPS of 10 digits', { ...physician, rpps: '1000000000' }, /11-digit RPPS/],
    ['a profession that is no TRE_G15 code', { ...physician, profession: 'doctor' }, /TRE_G15/],
    ['a FINESS of 8 digits', { ...physician, organization: '75071218' }, /FINESS/],
    ['an unknown purpose of use', { ...physician, purpose_of_use: 'HMARKT' }, /purpose_of_use/],
    ['a patient without fhirUser', { dmp_role: 'patient', sub: 'x' }, /needs a "fhirUser"/],
    ['a patient posing as a Practitioner', { dmp_role: 'patient', sub: 'x', fhirUser: 'Practitioner/1' }, /must be a Patient/],
    ['a professional posing as a Patient', { ...physician, fhirUser: 'Patient/1' }, /must be a Practitioner/],
    ['a fhirUser on another server', { dmp_role: 'patient', sub: 'x', fhirUser: 'https://elsewhere.example/fhir/Patient/1' }, /"fhirUser" must be/],
    ['a scope that is not a string', { ...physician, scope: 42 }, /"scope" must be/],
  ])('refuses a token with %s', (_what, payload, message) => {
    expect(() => read(payload)).toThrow(InvalidClaimsError);
    expect(() => read(payload)).toThrow(message);
  });

  it('accepts a delegate of a physician without specialty: the delegate never reads (R8.2)', () => {
    expect(read({ dmp_role: 'delegate', sub: 'd', rpps: '10000000001', profession: '10' })).toMatchObject({ role: 'delegate', rpps: '10000000001' });
  });

  it('accepts a Corsican FINESS', () => {
    expect(read({ ...physician, organization: '2A0000123' }).organization).toBe('2A0000123');
  });
});
