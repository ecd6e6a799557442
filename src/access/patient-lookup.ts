import type { AccessInterceptor } from './interceptor.js';
import { isProfessionalRole } from './kinds.js';
import { EVERYTHING } from './sec-filters.js';

/**
 * D21 and R2.2: whoever may open a DMP (a professional, reception, an insurer agent) finds a
 * patient by exact INS, and reception and insurer agents read a Patient by id; a name search
 * returns only holders the caller already reaches (R3.7 for professionals, nothing for the others).
 * A blocked professional still finds nothing (R3.4 applies after this).
 */
export const patientLookup: AccessInterceptor = {
  name: 'D21',
  narrow(ctx, type) {
    if (type !== 'Patient' || ctx.op.type !== 'Patient') return undefined;
    const { role } = ctx.caller;
    const opener = isProfessionalRole(role) || role === 'reception' || role === 'insurer-agent';
    if (opener && ctx.op.byIdentifier) return EVERYTHING;
    const byId = ctx.op.interaction === 'read' || ctx.op.interaction === 'vread' || ctx.op.interaction === 'history';
    if ((role === 'reception' || role === 'insurer-agent') && byId) return EVERYTHING;
    return undefined;
  },
};
