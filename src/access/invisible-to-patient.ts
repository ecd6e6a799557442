import { oneMonthBefore } from './calendar.js';
import { INVISIBLE_TO_PATIENT } from './codes.js';
import type { AccessInterceptor } from './interceptor.js';
import { isClinical, isHolderRole } from './kinds.js';
import { anyOf, withoutLabel } from './sec-filters.js';

/**
 * R5.3: a result awaiting its announcement consultation is hidden from the holder and reps until
 * a professional releases it (an update removing the label) or one month after its deposit, the
 * cut-off computed from the injected clock. Professionals see it as usual.
 */
export const invisibleToPatient: AccessInterceptor = {
  name: 'R5.3',
  narrow(ctx, type) {
    if (!isHolderRole(ctx.caller.role) || !isClinical(type)) return undefined;
    return anyOf([withoutLabel(INVISIBLE_TO_PATIENT), { 'sec.deposited': { $lte: oneMonthBefore(ctx.now) } }]);
  },
};
