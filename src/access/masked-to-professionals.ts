import { MASKED_TO_PROFESSIONALS } from './codes.js';
import type { AccessInterceptor } from './interceptor.js';
import { isClinical, isProfessionalRole } from './kinds.js';
import { anyOf, holderIn, withoutLabel } from './sec-filters.js';
import type { Filter } from '../store/store.js';

/**
 * R5.1: a document masked to professionals is visible to its author and to the holder's DMP GPs
 * only, among professionals (break-glass and regulators included, R6.3). The holder and reps are
 * not concerned.
 */
export const maskedToProfessionals: AccessInterceptor = {
  name: 'R5.1',
  narrow(ctx, type) {
    if (!isProfessionalRole(ctx.caller.role) || !isClinical(type)) return undefined;
    const branches: Filter[] = [withoutLabel(MASKED_TO_PROFESSIONALS)];
    if (ctx.caller.rpps) branches.push({ 'sec.authorRpps': ctx.caller.rpps });
    if (ctx.facts.gp.length > 0) branches.push(holderIn(ctx.facts.gp));
    return anyOf(branches);
  },
};
