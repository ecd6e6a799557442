import { forbidden } from '../fhir/errors.js';
import type { AccessContext } from './access-context.js';
import { mayUseEmergencyAccess, type CallerFacts } from './caller-facts.js';
import { PROCEED, reject, type AccessInterceptor, type Verdict } from './interceptor.js';

/**
 * R6.1–R6.3 and R3.5: break-glass (`purpose_of_use` ETREAT or BTG) and regulator access give a
 * professional the access of an authorised one to the holders the request names, unless the holder
 * opposed emergency access (403 naming R3.5) or blocked them (R3.4: they then see nothing, as if
 * the holder did not exist). The widened scope itself is in `CallerFacts.emergency`, which R3.7
 * grants; the matrix (R4.4) and masking (R5.1) still apply after it.
 */
export function emergencyVerdict(caller: AccessContext, facts: CallerFacts, holders: readonly string[]): Verdict {
  if (!mayUseEmergencyAccess(caller)) return PROCEED;
  const consented = new Set([...facts.authorisedPs, ...facts.authorisedStructure, ...facts.gp]);
  const opposed = holders.filter((h) => facts.opposed.includes(h) && !consented.has(h) && !facts.blocked.includes(h));
  if (opposed.length === 0) return PROCEED;
  return reject(forbidden('EMERGENCY_ACCESS_OPPOSED', 'the patient opposed emergency access to their DMP', 'R3.5'));
}

export const breakGlass: AccessInterceptor = {
  name: 'R6.1',
  start: (ctx, op) => emergencyVerdict(ctx.caller, ctx.facts, op.holders ?? []),
};
