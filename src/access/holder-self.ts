import type { AccessInterceptor } from './interceptor.js';
import { isHolderBound } from './kinds.js';
import { holderIn } from './sec-filters.js';

/** R7.1: a patient token reaches its own holder's data and nobody else's. */
export const holderSelf: AccessInterceptor = {
  name: 'R7.1',
  narrow(ctx, type) {
    if (ctx.caller.role !== 'patient' || !isHolderBound(type)) return undefined;
    return holderIn(ctx.facts.self ? [ctx.facts.self] : []);
  },
};
