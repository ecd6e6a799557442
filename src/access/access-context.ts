import type { SmartScope } from './smart-scopes.js';

/** The nine roles of R1.1; a token naming any other role is a valid identity with no right (R1.3). */
export const ROLES = [
  'professional',
  'delegate',
  'regulator',
  'reception',
  'insurer-agent',
  'insurer-feed',
  'patient',
  'legal-representative',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** `v3-ActReason` codes a token may carry; `ETREAT` and `BTG` both mean break-glass (R6.1). */
export const PURPOSES_OF_USE = ['TREAT', 'ETREAT', 'BTG'] as const;
export type PurposeOfUse = (typeof PURPOSES_OF_USE)[number];

/** The resource types a `fhirUser` claim may name. */
export type FhirUserType = 'Practitioner' | 'Patient' | 'RelatedPerson' | 'Device';
/** A relative reference such as `Patient/123`. */
export type FhirUserReference = `${FhirUserType}/${string}`;

/**
 * Who is calling, as established from a verified token and nothing else (D30: it may be cached per
 * token). Every access rule receives this; none of them reads the token itself.
 */
export interface AccessContext {
  role: Role;
  /** The token's subject: stable per caller, recorded in the AuditEvent. */
  sub: string;
  fhirUser?: FhirUserReference;
  /** 11-digit RPPS: the professional's own, or for a delegate the professional it works for (D3). */
  rpps?: string;
  /** TRE_G15 profession code (`10` médecin, `21` pharmacien, …). */
  profession?: string;
  /** TRE_R38 specialty code (`SM26`, …); present for professions 10 and 21. */
  specialty?: string;
  /** FINESS number of the care structure the caller acts for (D3, D36): not a resource id. */
  organization?: string;
  purposeOfUse?: PurposeOfUse;
  /** SMART scopes of the token; `undefined` when the token has no `scope` claim: no bound (D3). */
  scopes?: SmartScope[];
  /** The OAuth client that obtained the token (`client_id`, else `azp`). */
  clientId?: string;
  /** A professional invoking emergency access (`ETREAT` or `BTG`, R6.1). Regulators are told by role (R6.2). */
  breakGlass: boolean;
}
