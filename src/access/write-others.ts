import { forbidden } from '../fhir/errors.js';
import { reachableHolders } from './caller-facts.js';
import { callerKey } from './caller-key.js';
import { REP_RELATIONSHIPS } from './codes.js';
import { dmpVerdict } from './dmp-status.js';
import type { SecFacts } from './facts.js';
import { PROCEED, reject, type Verdict } from './interceptor.js';
import { isHolderRole, isProfessionalRole } from './kinds.js';
import { holdersOfRow } from './read-access.js';
import {
  holderWriteAccess,
  openDmpOnly,
  professionalWriteAccess,
  proceedWith,
  refuse,
  type WriteContext,
  type WriteOutcome,
} from './write-checks.js';
/**
 * Writing the holder's other resources: Patient (R2.2), RelatedPerson (R7.2, D35), Binary (D15) and
 * the remaining clinical types (AllergyIntolerance, Immunization, List: R4.5).
 */

const outcome = (verdict: Verdict, ctx: WriteContext): WriteOutcome => (verdict.kind === 'reject' ? refuse(verdict) : proceedWith(ctx.resource));

export function patientWrite(ctx: WriteContext): WriteOutcome {
  const { caller, facts, holder, interaction } = ctx;
  if (interaction === 'delete') {
    return refuse(reject(forbidden('PATIENT_KEPT', "a patient's record is destroyed by the server ten years after closure, never deleted by a client", 'R9.3')));
  }
  if (isHolderRole(caller.role) && interaction === 'create') {
    // the token already names the holder's Patient (fhirUser); a new one could only be someone else
    return refuse(reject(forbidden('PATIENT_EXISTS', "a patient's token already names their Patient resource", 'R7.2')));
  }
  if (interaction === 'create') return proceedWith(ctx.resource);
  if (isHolderRole(caller.role)) {
    const own = facts.self ? [facts.self] : facts.represented;
    return outcome(own.includes(holder!) ? PROCEED : reject(forbidden('NOT_YOUR_RECORD', 'this is another patient', 'R7.2')), ctx);
  }
  if (isProfessionalRole(caller.role)) {
    if (facts.blocked.includes(holder!)) return refuse(reject(forbidden('BLOCKED_BY_PATIENT', 'the patient blocked this professional', 'R3.4')));
    return outcome(reachableHolders(facts).includes(holder!) ? PROCEED : reject(forbidden('NO_ACCESS_TO_PATIENT', 'no access to this patient', 'R3.7')), ctx);
  }
  return proceedWith(ctx.resource);
}

const isRep = (facts: SecFacts | undefined) => Boolean(facts?.relationships?.some((r) => REP_RELATIONSHIPS.includes(r)));

export function relatedPersonWrite(ctx: WriteContext): WriteOutcome {
  const { caller, facts, holder, interaction } = ctx;
  const names = isRep(ctx.next) || isRep(ctx.previous);
  if (isHolderRole(caller.role)) {
    if (names) return refuse(reject(forbidden('REPRESENTATIVES_BY_PROFESSIONALS', 'legal representatives are recorded by reception or a professional', 'D35')));
    return outcome(holderWriteAccess(ctx), ctx);
  }
  if (caller.role === 'reception') {
    const ok = names && interaction !== 'delete' && isRep(ctx.next);
    return outcome(ok ? PROCEED : reject(forbidden('ROLE_NOT_ALLOWED', "reception records only a minor's legal representatives", 'D35')), ctx);
  }
  // D35: a professional records a rep before the DMP exists, needing no access for that one write
  if (names && interaction === 'create' && isRep(ctx.next) && holder && !facts.blocked.includes(holder)) return proceedWith(ctx.resource);
  return outcome(professionalWriteAccess(ctx), ctx);
}

/** D15: whoever may write creates a Binary; only its creator changes it; a bound one follows its document's holder. */
export async function binaryWrite(ctx: WriteContext): Promise<WriteOutcome> {
  const { caller, current, store } = ctx;
  if (current && (current.sec as SecFacts).creator !== callerKey(caller)) {
    return refuse(reject(forbidden('NOT_THE_CREATOR', 'only the creator of a Binary changes or deletes it', 'R8.3')));
  }
  for (const id of ctx.next?.documents ?? []) {
    const document = await store.read('DocumentReference', id);
    if (!document || document.deleted) continue; // standalone until the document exists (transactions)
    const holder = holdersOfRow(document)[0];
    const bound: WriteContext = { ...ctx, holder, type: 'DocumentReference' };
    const verdict = isProfessionalRole(caller.role)
      ? professionalWriteAccess(bound)
      : isHolderRole(caller.role)
        ? holderWriteAccess(bound)
        : openDmpOnly(bound);
    if (verdict.kind === 'reject') return refuse(verdict);
  }
  return proceedWith(ctx.resource);
}

/** AllergyIntolerance, Immunization, List and any other clinical type: R4.5 (the feed: its submission Lists). */
export function clinicalWrite(ctx: WriteContext): WriteOutcome {
  if (isProfessionalRole(ctx.caller.role)) return outcome(professionalWriteAccess(ctx), ctx);
  if (ctx.caller.role === 'insurer-feed') return outcome(ctx.holder ? dmpVerdict(ctx.facts, [ctx.holder], ctx.facts.open) : PROCEED, ctx);
  return outcome(holderWriteAccess(ctx), ctx);
}
