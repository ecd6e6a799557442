import { reachableHolders } from './caller-facts.js';
import type { AccessInterceptor } from './interceptor.js';
import { isHolderBound, isProfessionalRole } from './kinds.js';
import { holderIn } from './sec-filters.js';

/**
 * R3.1–R3.3 and R3.7: a professional reaches the holders who authorised them (by RPPS), their care
 * structure (by the token's `organization`, D36) or named them DMP GP, plus those break-glass or
 * regulator access opens (R6.1, R6.2, computed in caller-facts.ts); nobody else. Consents are
 * scoped by D20 and a Patient found by exact INS by D21 instead.
 */
export const consentedProfessionals: AccessInterceptor = {
  name: 'R3.7',
  narrow(ctx, type) {
    if (!isProfessionalRole(ctx.caller.role) || !isHolderBound(type) || type === 'Consent') return undefined;
    if (type === 'Patient' && ctx.op.type === 'Patient' && ctx.op.byIdentifier) return undefined;
    return holderIn(reachableHolders(ctx.facts));
  },
};
