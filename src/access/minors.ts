import type { AccessInterceptor } from './interceptor.js';
import { isHolderBound } from './kinds.js';
import { holderIn } from './sec-filters.js';

/**
 * R7.5 and D34: a legal representative acts for the minor their RelatedPerson names, while it is a
 * PRN or GUARD relationship within its period and the holder is under 18 on the Paris calendar
 * day (caller-facts.ts checks all three on every request): no manual step ends the rights.
 */
export const minors: AccessInterceptor = {
  name: 'R7.5',
  narrow(ctx, type) {
    if (ctx.caller.role !== 'legal-representative' || !isHolderBound(type)) return undefined;
    return holderIn(ctx.facts.represented);
  },
};
