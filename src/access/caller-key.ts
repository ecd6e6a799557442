import type { AccessContext } from './access-context.js';
import { RPPS_SYSTEM } from './codes.js';

/**
 * One stable text per caller, stored as the creator of a standalone Binary (D15) and compared with
 * it: the holder or rep by their `fhirUser`, a professional (or their delegate, D3) by RPPS, anyone
 * else by token subject.
 */
export function callerKey(caller: AccessContext): string {
  if ((caller.role === 'patient' || caller.role === 'legal-representative') && caller.fhirUser) return caller.fhirUser;
  if (caller.rpps && (caller.role === 'professional' || caller.role === 'delegate' || caller.role === 'regulator')) {
    return `${RPPS_SYSTEM}|${caller.rpps}`;
  }
  return `sub|${caller.sub}`;
}
