import { forbidden } from '../fhir/errors.js';
import type { AccessContext, Role } from './access-context.js';
import { PROCEED, READ_INTERACTIONS, reject, type AccessInterceptor } from './interceptor.js';
import { isClinical, isDirectory, OCCUPATIONAL_MEDICINE } from './kinds.js';
import { EVERYTHING, MATCH_NOTHING } from './sec-filters.js';

/**
 * Authentication facts × type (R1.3, R1.4, R8.2, R8.5, R8.7): which types a role may read at all.
 * A type the role may never read is 403 on read and search (D10) and absent from includes,
 * chains and `_has`. The directory is granted here; holder data is granted by the holder-scope
 * interceptors (R7.1, R3.7, R7.5) and AuditEvents by R10.1.
 */

const HOLDER_DATA = (type: string): boolean => type === 'Patient' || type === 'Consent' || type === 'AuditEvent' || isClinical(type);

/** D22: notifications (Communication) are read by the holder and reps only. */
const holderMayRead = (type: string): boolean => isDirectory(type) || HOLDER_DATA(type) || type === 'Communication';

interface RoleReads {
  may: (type: string, caller: AccessContext) => boolean;
  rule: string;
  why: string;
}

const READS: Record<Role, RoleReads> = {
  professional: {
    may: (type, caller) => isDirectory(type) || (HOLDER_DATA(type) && !(caller.specialty === OCCUPATIONAL_MEDICINE && isClinical(type))),
    rule: 'R1.3',
    why: 'a professional may not read this type; occupational medicine never reads clinical data',
  },
  regulator: { may: (type, caller) => READS.professional.may(type, caller), rule: 'R1.3', why: 'this type is not readable' },
  patient: { may: (type) => holderMayRead(type), rule: 'R1.3', why: 'this type is not readable' },
  'legal-representative': { may: (type) => holderMayRead(type), rule: 'R1.3', why: 'this type is not readable' },
  reception: {
    may: (type) => isDirectory(type) || type === 'Patient' || type === 'Consent',
    rule: 'R8.7',
    why: 'reception reads only patients and whether their DMP is open',
  },
  'insurer-agent': {
    may: (type) => isDirectory(type) || type === 'Patient' || type === 'Consent',
    rule: 'R8.7',
    why: 'an insurer agent reads only patients and whether their DMP is open',
  },
  admin: { may: (type) => isDirectory(type) || type === 'AuditEvent', rule: 'R1.4', why: 'the administrator reads no clinical data' },
  delegate: { may: () => false, rule: 'R8.2', why: 'a delegate never reads' },
  'insurer-feed': { may: () => false, rule: 'R8.5', why: 'the insurer feed reads nothing' },
};

/** Whether the caller's role may read `type` at all (shared with the write rules). */
export function roleMayRead(caller: AccessContext, type: string): boolean {
  return READS[caller.role]?.may(type, caller) ?? false;
}

export const roleTypes: AccessInterceptor = {
  name: 'R1.3',
  start(ctx, op) {
    if (!READ_INTERACTIONS.includes(op.interaction) || roleMayRead(ctx.caller, op.type)) return PROCEED;
    const { rule, why } = READS[ctx.caller.role] ?? { rule: 'R1.3', why: 'this role has no access' };
    return reject(forbidden('ROLE_NOT_ALLOWED', `${why}: ${op.type} (${rule})`, rule));
  },
  narrow(ctx, type) {
    if (!roleMayRead(ctx.caller, type)) return MATCH_NOTHING;
    return isDirectory(type) ? EVERYTHING : undefined;
  },
};
