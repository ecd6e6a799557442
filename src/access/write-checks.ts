import type { Resource } from 'fhir/r4';
import { forbidden, unprocessable } from '../fhir/errors.js';
import type { Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { reachableHolders, type CallerFacts } from './caller-facts.js';
import { dmpVerdict } from './dmp-status.js';
import type { SecFacts } from './facts.js';
import { PROCEED, reject, type Verdict } from './interceptor.js';
import type { AccessDecision } from './pipeline.js';
import type { AccessRules } from './rules.js';

/** What every write rule reads; built once per write by write-access.ts. */
export interface WriteContext {
  store: Store;
  caller: AccessContext;
  facts: CallerFacts;
  decision: AccessDecision;
  interaction: 'create' | 'update' | 'patch' | 'delete';
  type: string;
  /** The resource to store (create, update, patch after applying it); absent for delete. */
  resource?: Resource;
  /** The current live row (update, patch, delete), if any. */
  current?: StoredRow;
  previous?: SecFacts;
  next?: SecFacts;
  /** The holder the write concerns (the new version's, else the current one's). */
  holder?: string;
  rules: AccessRules;
  now: Date;
}

/** A write rule's answer: a verdict and, when it proceeds, the resource to store (maybe completed by the server). */
export interface WriteOutcome {
  verdict: Verdict;
  resource?: Resource;
}

export const proceedWith = (resource: Resource | undefined): WriteOutcome => ({ verdict: PROCEED, ...(resource ? { resource } : {}) });
export const refuse = (verdict: Verdict): WriteOutcome => ({ verdict });

export function singleHolder(facts: SecFacts | undefined): string | undefined {
  return typeof facts?.patient === 'string' ? facts.patient : undefined;
}

/** A write naming no patient cannot be placed in a DMP. */
export function noHolder(type: string): Verdict {
  return reject(unprocessable('NO_PATIENT', `this ${type} names no patient (a reference to Patient/<id>)`, undefined, 'R4.5'));
}

/**
 * R4.5 with sections 2, 3 and 6: a professional writes a holder's clinical data when the DMP is
 * open (409 otherwise, D10), they are not blocked (R3.4) and they reach the holder through
 * consent, GP status or emergency access (R3.7). The matrix plays no part in writing.
 */
export function professionalWriteAccess(ctx: WriteContext): Verdict {
  const { facts, holder } = ctx;
  if (!holder) return noHolder(ctx.type);
  const dmp = dmpVerdict(facts, [holder], facts.open);
  if (dmp.kind === 'reject') return dmp;
  if (facts.blocked.includes(holder)) return reject(forbidden('BLOCKED_BY_PATIENT', 'the patient blocked this professional', 'R3.4'));
  if (!reachableHolders(facts).includes(holder)) {
    return reject(
      forbidden('NO_ACCESS_TO_PATIENT', "no authorisation, DMP GP status or break-glass gives access to this patient's DMP", 'R3.7'),
    );
  }
  return PROCEED;
}

/** R7.2, R7.5: the holder writes their own DMP, a rep their minor's, while it is open (R9.2). */
export function holderWriteAccess(ctx: WriteContext): Verdict {
  const { facts, holder, caller } = ctx;
  if (!holder) return noHolder(ctx.type);
  const own = facts.self ? [facts.self] : facts.represented;
  if (!own.includes(holder)) {
    const rule = caller.role === 'patient' ? 'R7.1' : 'R7.5';
    return reject(forbidden('NOT_YOUR_RECORD', 'this resource belongs to another patient', rule));
  }
  return dmpVerdict(facts, [holder], facts.open);
}

/** R2.1, R8.5: the insurer feed writes into open DMPs only. */
export function openDmpOnly(ctx: WriteContext): Verdict {
  if (!ctx.holder) return noHolder(ctx.type);
  return dmpVerdict(ctx.facts, [ctx.holder], ctx.facts.open);
}

/** R8.3: the author, or a professional of the author's structure. */
export function isAuthorOrColleague(caller: AccessContext, facts: SecFacts | undefined): boolean {
  return (
    (caller.rpps !== undefined && (facts?.authorRpps ?? []).includes(caller.rpps)) ||
    (caller.organization !== undefined && (facts?.authorFiness ?? []).includes(caller.organization))
  );
}
