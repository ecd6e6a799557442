import type { AccessInterceptor } from './interceptor.js';
import { isProfessionalRole } from './kinds.js';
import { EVERYTHING, MATCH_NOTHING, holderIn } from './sec-filters.js';

/**
 * R10.1: the holder and reps read the AuditEvents about the holder, a professional reads only
 * their own (by RPPS), the administrator reads them all (R1.4).
 */
export const auditTrail: AccessInterceptor = {
  name: 'R10.1',
  narrow(ctx, type) {
    if (type !== 'AuditEvent') return undefined;
    const { caller, facts } = ctx;
    switch (caller.role) {
      case 'admin':
        return EVERYTHING;
      case 'patient':
        return holderIn(facts.self ? [facts.self] : []);
      case 'legal-representative':
        return holderIn(facts.represented);
      default:
        return isProfessionalRole(caller.role) && caller.rpps ? { 'sec.actorRpps': caller.rpps } : MATCH_NOTHING;
    }
  },
};
