import type { TokenOptions } from '../../src/access/dev-token.js';

/**
 * Who calls in the access scenario: token claims per caller (D3). Holders and reps get their
 * `fhirUser` once the world knows their server-assigned ids (scenario.ts).
 */

export const RPPS = {
  gp: '10000000001',
  physician: '10000000002',
  nurse: '10000000003',
  podiatrist: '10000000004',
  pharmacist: '10000000005',
  blocked: '10000000006',
  stranger: '10000000007',
  regulator: '10000000008',
  hospitalDoctor: '10000000009',
  occupational: '10000000010',
} as const;

/** The authorised care structure (D36): a FINESS number, matched against the token's `organization`. */
export const HOSPITAL = '750712184';

const ps = (rpps: string, profession: string, specialty?: string, extra: Partial<TokenOptions> = {}): TokenOptions => ({
  role: 'professional',
  rpps,
  profession,
  ...(specialty ? { specialty } : {}),
  purpose: 'TREAT',
  ...extra,
});

export const STATIC_CALLERS = {
  gp: ps(RPPS.gp, '10', 'SM54'),
  physician: ps(RPPS.physician, '10', 'SM26'),
  physicianBreakGlass: ps(RPPS.physician, '10', 'SM26', { purpose: 'ETREAT' }),
  nurse: ps(RPPS.nurse, '60'),
  podiatrist: ps(RPPS.podiatrist, '80'),
  pharmacist: ps(RPPS.pharmacist, '21', 'SM21'),
  hospitalDoctor: ps(RPPS.hospitalDoctor, '10', 'SM44', { organization: HOSPITAL }),
  blocked: ps(RPPS.blocked, '10', 'SM26'),
  blockedBreakGlass: ps(RPPS.blocked, '10', 'SM26', { purpose: 'ETREAT' }),
  stranger: ps(RPPS.stranger, '10', 'SM59'),
  strangerBreakGlass: ps(RPPS.stranger, '10', 'SM59', { purpose: 'ETREAT' }),
  regulator: { role: 'regulator', rpps: RPPS.regulator, profession: '10', specialty: 'SM59' },
  occupational: ps(RPPS.occupational, '10', 'SM25'),
  /** Works for the authorised physician (D3: the PS's rpps and profession). */
  delegate: { role: 'delegate', sub: 'secretariat-1', rpps: RPPS.physician, profession: '10' },
  reception: { role: 'reception', sub: 'reception-1', organization: HOSPITAL },
  insurerAgent: { role: 'insurer-agent', sub: 'cpam-agent-1' },
  insurerFeed: { role: 'insurer-feed', sub: 'cnam-feed', fhirUser: 'Device/cnam-feed' },
  admin: { role: 'admin', sub: 'ops-1' },
} satisfies Record<string, TokenOptions>;

export type StaticCaller = keyof typeof STATIC_CALLERS;

/** Callers whose token names a resource of the world: the holders and the reps. */
export const HOLDER_CALLERS = {
  alice: { role: 'patient', resource: 'alice', type: 'Patient' },
  bob: { role: 'patient', resource: 'bob', type: 'Patient' },
  carol: { role: 'patient', resource: 'carol', type: 'Patient' },
  danMother: { role: 'legal-representative', resource: 'dan-mother', type: 'RelatedPerson' },
  danFormerGuardian: { role: 'legal-representative', resource: 'dan-former-guardian', type: 'RelatedPerson' },
} as const;

export type HolderCaller = keyof typeof HOLDER_CALLERS;
export type CallerName = StaticCaller | HolderCaller;
