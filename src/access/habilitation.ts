import { readableFamilies } from './rules.js';
import type { AccessInterceptor } from './interceptor.js';
import { isProfessionalRole } from './kinds.js';
import { factIn } from './sec-filters.js';

/**
 * R4.1–R4.4: a professional reads a family only if profiles/habilitation-matrix.json gives it to
 * their profession (and specialty); other families are absent from searches and totals and 404 on
 * read. DMP GPs, break-glass and regulators are bound too; the holder and reps are not.
 */
export const habilitationMatrix: AccessInterceptor = {
  name: 'R4.2',
  narrow(ctx, type) {
    if (!isProfessionalRole(ctx.caller.role)) return undefined;
    const fixed = ctx.rules.families.byResourceType.has(type);
    if (type !== 'DocumentReference' && !fixed) return undefined;
    return factIn('family', readableFamilies(ctx.rules, ctx.caller.profession, ctx.caller.specialty));
  },
};

