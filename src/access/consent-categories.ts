import { DMP_CREATION } from './codes.js';
import type { AccessInterceptor } from './interceptor.js';
import { isProfessionalRole } from './kinds.js';

/**
 * D20 and section 3: whether a DMP is open (the dmp-creation Consents) is readable by everyone who
 * may open one (R2.2, R8.7); the access choices (dmp-access Consents) only by the holder and reps,
 * who are scoped to their own holders by R7.1 and R7.5.
 */
export const consentCategories: AccessInterceptor = {
  name: 'D20',
  narrow(ctx, type) {
    if (type !== 'Consent') return undefined;
    const { role } = ctx.caller;
    if (isProfessionalRole(role) || role === 'reception' || role === 'insurer-agent') return { 'sec.category': DMP_CREATION };
    return undefined;
  },
};
