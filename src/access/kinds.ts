import type { Role } from './access-context.js';

/**
 * Which resource types are clinical data, directory or holder-bound (DMP-RULES "Words", D22), and
 * which roles act as health professionals. Every interceptor asks these instead of keeping its own
 * list, so a type is classified once.
 */

export const DIRECTORY_TYPES: readonly string[] = ['Practitioner', 'PractitionerRole', 'Organization'];

/** Not clinical data (D22): the holder's identity, their consents, the traces, the directory. */
const NOT_CLINICAL: readonly string[] = ['Patient', 'Consent', 'AuditEvent', 'Communication', ...DIRECTORY_TYPES];

/** Clinical data: every other resource of the holder, Binary included; an unknown type counts as clinical. */
export function isClinical(type: string): boolean {
  return !NOT_CLINICAL.includes(type);
}

export function isDirectory(type: string): boolean {
  return DIRECTORY_TYPES.includes(type);
}

/** Types whose rows carry `sec.patient` and are scoped to holders (AuditEvent is scoped by R10.1 on its own). */
export function isHolderBound(type: string): boolean {
  return type !== 'AuditEvent' && !isDirectory(type);
}

const PROFESSIONAL_ROLES: readonly Role[] = ['professional', 'delegate', 'regulator'];

/** Roles acting as a health professional identified by RPPS (a delegate carries its PS's, D3). */
export function isProfessionalRole(role: Role): boolean {
  return PROFESSIONAL_ROLES.includes(role);
}

/** Roles that act for a holder: the holder themselves and a legal representative (R7). */
export function isHolderRole(role: Role): boolean {
  return role === 'patient' || role === 'legal-representative';
}

/** Occupational medicine never has any access to clinical data (R1.3). */
export const OCCUPATIONAL_MEDICINE = 'SM25';
