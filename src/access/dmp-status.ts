import { conflict } from '../fhir/errors.js';
import type { CallerFacts } from './caller-facts.js';
import { PROCEED, READ_INTERACTIONS, reject, type AccessInterceptor, type AccessState, type Verdict } from './interceptor.js';
import { isClinical, isHolderRole, isProfessionalRole } from './kinds.js';
import { holderIn } from './sec-filters.js';

/**
 * R2.1 and R9.2: without an open DMP nobody reads the holder's clinical data (409); a closed DMP
 * gives professionals nothing while the holder and reps still read it. A request naming holders
 * of whom none has an accessible DMP is refused; otherwise rows of the others are left out.
 */

/** The holders whose DMP the caller may read in its current state. */
export function readableDmps(ctx: AccessState): string[] {
  const { facts, caller } = ctx;
  return isHolderRole(caller.role) ? [...facts.open, ...facts.closed] : facts.open;
}

/** 409 when every one of `holders` lacks an open DMP (R9.2 when one of them was closed). */
export function dmpVerdict(facts: CallerFacts, holders: readonly string[], accessible: readonly string[]): Verdict {
  if (holders.length === 0 || holders.some((h) => accessible.includes(h))) return PROCEED;
  if (holders.some((h) => facts.closed.includes(h))) {
    return reject(conflict('DMP_CLOSED', "this patient's DMP is closed", 'R9.2'));
  }
  return reject(conflict('NO_OPEN_DMP', 'no DMP is open for this patient', 'R2.1'));
}

export const dmpStatus: AccessInterceptor = {
  name: 'R2.1',
  start(ctx, op) {
    if (!READ_INTERACTIONS.includes(op.interaction) || !isClinical(op.type)) return PROCEED;
    const { caller, facts } = ctx;
    if (isProfessionalRole(caller.role)) return dmpVerdict(facts, op.holders ?? [], readableDmps(ctx));
    if (isHolderRole(caller.role)) {
      // only the caller's own holders: another holder's DMP state is none of their business
      const own = facts.self ? [facts.self] : facts.represented;
      const holders = (op.holders ?? own).filter((h) => own.includes(h));
      return dmpVerdict(facts, holders, readableDmps(ctx));
    }
    return PROCEED;
  },
  narrow(ctx, type) {
    if (!isClinical(type)) return undefined;
    const { role } = ctx.caller;
    return isProfessionalRole(role) || isHolderRole(role) ? holderIn(readableDmps(ctx)) : undefined;
  },
};
