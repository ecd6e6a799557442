import type { Consent } from 'fhir/r4';
import { parisDay } from '../access/calendar.js';
import { OUR_CODES } from '../access/codes.js';
import { PROCEED, reject, type Verdict } from '../access/interceptor.js';
import { isProfessionalRole } from '../access/kinds.js';
import { professionalWriteAccess, type WriteContext } from '../access/write-checks.js';
import { forbidden, unprocessable } from '../fhir/errors.js';

/**
 * R9.1 and section 12 "DMP closed", a write rule of the dmp-creation Consent (called by
 * access/write-consents.ts once the caller may write that Consent at all: holder or rep of this
 * holder, not a blocked PS, a role of R2.2). A DMP is closed by updating its dmp-creation Consent
 * to `status = inactive` with `provision.period.end` (the closure date, not after today in Paris)
 * and the extension `dmp-closure-reason`:
 * - `holder-request`: by the holder or a rep, directly or through anyone who may open a DMP (R2.2);
 * - `death`: only by a professional with access to the holder (R3, R6; a delegate in the name of
 *   such a PS): 403 for anyone else.
 * A closed consent stays closed (reopening is a new active dmp-creation Consent: 422 otherwise),
 * and an open one leaves `active` only to be closed this way (422: another status would make the
 * DMP vanish without a closure date, which retention, R9.3, counts from). Refusals name R9.1 or
 * R9.2; 403 comes before 422 (D10).
 */

export const CLOSURE_REASON_EXTENSION = 'https://dmp-fhir-server.example/StructureDefinition/dmp-closure-reason';
export const CLOSURE_REASONS = ['holder-request', 'death'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
/** The code system of the reasons, for clients that want one (the extension carries a bare code). */
export const CLOSURE_REASON_SYSTEM = `${OUR_CODES}dmp-closure-reason`;

const PATH = ['Consent.extension'];

/** The closure reasons a Consent states (normally one). */
export function closureReasons(consent: Consent | undefined): string[] {
  return (consent?.extension ?? []).filter((e) => e.url === CLOSURE_REASON_EXTENSION).map((e) => e.valueCode ?? '');
}

/** The closure date of an inactive dmp-creation Consent: `provision.period.end`. */
export function closureDate(consent: Consent | undefined): string | undefined {
  return consent?.provision?.period?.end;
}

function mayCloseOnDeath(ctx: WriteContext): boolean {
  return isProfessionalRole(ctx.caller.role) && professionalWriteAccess(ctx).kind === 'proceed';
}

export function closureRule(ctx: WriteContext): Verdict {
  if (ctx.interaction === 'delete') return PROCEED;
  const before = ctx.current ? ctx.previous?.status : undefined;
  const after = ctx.next?.status;
  if (before === 'inactive' && after === 'active') {
    return reject(unprocessable('REOPEN_WITH_NEW_CONSENT', 'a closed DMP is reopened with a new active dmp-creation Consent; the closed one stays as it is', ['Consent.status'], 'R9.2'));
  }
  if (before === 'active' && after !== 'active' && after !== 'inactive') {
    return reject(unprocessable('CLOSE_AS_INACTIVE', 'a DMP is closed by setting its consent to inactive, with the closure date and reason', ['Consent.status'], 'R9.1'));
  }
  if (after !== 'inactive') return PROCEED;

  const consent = ctx.resource as Consent;
  const reasons = closureReasons(consent);
  if (reasons.includes('death') && !mayCloseOnDeath(ctx)) {
    return reject(forbidden('DEATH_CLOSURE_BY_PROFESSIONAL', "on the holder's death, a professional with access to the DMP closes it", 'R9.1'));
  }
  if (reasons.length !== 1 || !(CLOSURE_REASONS as readonly string[]).includes(reasons[0]!)) {
    return reject(
      unprocessable(
        'CLOSURE_REASON_REQUIRED',
        `closing a DMP needs exactly one extension ${CLOSURE_REASON_EXTENSION} with valueCode holder-request or death`,
        PATH,
        'R9.1',
      ),
    );
  }
  const end = closureDate(consent);
  if (!end) {
    return reject(unprocessable('CLOSURE_DATE_REQUIRED', 'closing a DMP needs its closure date in provision.period.end', ['Consent.provision.period.end'], 'R9.1'));
  }
  if (end.slice(0, 10) > parisDay(ctx.now)) {
    return reject(unprocessable('CLOSURE_DATE_IN_FUTURE', 'the closure date (provision.period.end) cannot be after today', ['Consent.provision.period.end'], 'R9.1'));
  }
  return PROCEED;
}
