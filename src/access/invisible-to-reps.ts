import { INVISIBLE_TO_REPS } from './codes.js';
import type { AccessInterceptor } from './interceptor.js';
import { isClinical } from './kinds.js';
import { withoutLabel } from './sec-filters.js';

/**
 * R5.4: a document the minor asked to keep from their legal representatives is hidden from reps;
 * professionals see it with its label, so they know its status (the label stays in the resource).
 */
export const invisibleToReps: AccessInterceptor = {
  name: 'R5.4',
  narrow(ctx, type) {
    if (ctx.caller.role !== 'legal-representative' || !isClinical(type)) return undefined;
    return withoutLabel(INVISIBLE_TO_REPS);
  },
};
