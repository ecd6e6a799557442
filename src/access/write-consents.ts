import { conflict, forbidden, unprocessable } from '../fhir/errors.js';
import { closureRule } from '../lifecycle/closure-rule.js';
import { isMinorOn, parisDay, withinPeriod } from './calendar.js';
import { DMP_ACCESS, DMP_CREATION, REP_RELATIONSHIPS } from './codes.js';
import { dmpVerdict } from './dmp-status.js';
import type { SecFacts } from './facts.js';
import { PROCEED, reject, type Verdict } from './interceptor.js';
import { isHolderRole, isProfessionalRole } from './kinds.js';
import {
  holderWriteAccess,
  noHolder,
  professionalWriteAccess,
  proceedWith,
  refuse,
  type WriteContext,
  type WriteOutcome,
} from './write-checks.js';

/**
 * Writing Consents: opening and closing a DMP (dmp-creation: R2.2, R2.3, R9.1, D20, D34), the
 * holder's access choices (dmp-access: section 3, D19) and any other Consent of the holder.
 */

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) =>
  a.length === b.length && a.every((x) => b.includes(x)) && new Set(a).size === new Set(b).size;

/** R2.3, D34: a minor's DMP is opened by a rep whose RelatedPerson (PRN/GUARD, in period) is the performer. */
async function minorPerformerRule(ctx: WriteContext): Promise<Verdict> {
  const holder = ctx.holder!;
  const patient = await ctx.store.read('Patient', holder.slice('Patient/'.length));
  if (!patient || patient.deleted || !isMinorOn((patient.sec as SecFacts).birthDate, parisDay(ctx.now))) return PROCEED;
  for (const performer of ctx.next?.performer ?? []) {
    if (!performer.startsWith('RelatedPerson/')) continue;
    const person = await ctx.store.read('RelatedPerson', performer.slice('RelatedPerson/'.length));
    const facts = person && !person.deleted ? (person.sec as SecFacts) : undefined;
    if (
      facts?.patient === holder &&
      !facts.inactive &&
      facts.relationships?.some((r) => REP_RELATIONSHIPS.includes(r)) &&
      withinPeriod(facts.periodStart, facts.periodEnd, ctx.now)
    ) {
      return PROCEED;
    }
  }
  return reject(
    unprocessable(
      'MINOR_NEEDS_REPRESENTATIVE',
      "a minor's DMP is opened with the consent of a legal representative: Consent.performer must be a parent or guardian RelatedPerson of the patient, within its period",
      ['Consent.performer'],
      'R2.3',
    ),
  );
}

async function creationConsent(ctx: WriteContext): Promise<WriteOutcome> {
  const { caller, facts, holder, interaction } = ctx;
  if (!holder) return refuse(noHolder('Consent'));
  if (interaction === 'delete') {
    return refuse(reject(forbidden('DMP_CONSENT_KEPT', 'a DMP is closed by updating its consent to inactive, never by deleting it', 'R9.1')));
  }
  if (isHolderRole(caller.role)) {
    const own = facts.self ? [facts.self] : facts.represented;
    if (!own.includes(holder)) return refuse(reject(forbidden('NOT_YOUR_RECORD', 'this consent is about another patient', caller.role === 'patient' ? 'R7.1' : 'R7.5')));
  }
  if (isProfessionalRole(caller.role) && facts.blocked.includes(holder)) {
    return refuse(reject(forbidden('BLOCKED_BY_PATIENT', 'the patient blocked this professional', 'R3.4')));
  }
  const closure = closureRule(ctx); // R9.1: who closes, with which date and reason (lifecycle/closure-rule.ts)
  if (closure.kind === 'reject') return refuse(closure);
  if (ctx.next?.status === 'active') {
    const minor = await minorPerformerRule(ctx);
    if (minor.kind === 'reject') return refuse(minor);
  }
  return proceedWith(ctx.resource);
}

/** D19: a professional may only add a permit naming themselves (R3.1 "recorded during care"). */
function onlySelfPermitAdded(ctx: WriteContext): boolean {
  const before = ctx.previous ?? {};
  const after = ctx.next ?? {};
  const rpps = ctx.caller.rpps;
  if (!rpps || ctx.interaction === 'delete') return false;
  const expected = [...new Set([...(before.permitRpps ?? []), rpps])];
  return (
    sameSet(after.permitRpps, expected) &&
    sameSet(after.permitFiness, before.permitFiness) &&
    sameSet(after.gpRpps, before.gpRpps) &&
    sameSet(after.blockedRpps, before.blockedRpps) &&
    Boolean(after.emergencyOpposed) === Boolean(before.emergencyOpposed) &&
    after.status === 'active' &&
    (ctx.previous === undefined || before.status === 'active')
  );
}

/** D19: one active dmp-access Consent per holder; change it with PUT. */
async function oneActiveChoice(ctx: WriteContext): Promise<Verdict> {
  if (ctx.next?.status !== 'active' || ctx.previous?.status === 'active') return PROCEED;
  const others = await ctx.store.find('Consent', {
    filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', 'sec.patient': ctx.holder, ...(ctx.current ? { id: { $ne: ctx.current.id } } : {}) },
    limit: 1,
  });
  if (others.length === 0) return PROCEED;
  return reject(conflict('ACCESS_CHOICES_EXIST', `the patient already has active access choices (Consent/${others[0]!.id}); change them with PUT`, 'D19'));
}

async function accessConsent(ctx: WriteContext): Promise<WriteOutcome> {
  const { caller, holder } = ctx;
  if (!holder) return refuse(noHolder('Consent'));
  if (isHolderRole(caller.role)) {
    const access = holderWriteAccess(ctx);
    if (access.kind === 'reject') return refuse(access);
  } else if (isProfessionalRole(caller.role)) {
    const access = professionalSelfPermit(ctx);
    if (access.kind === 'reject') return refuse(access);
  } else {
    return refuse(reject(forbidden('ROLE_NOT_ALLOWED', 'only the patient, a legal representative or a professional adding themselves writes access choices', 'R8.7')));
  }
  const single = await oneActiveChoice(ctx);
  return single.kind === 'reject' ? refuse(single) : proceedWith(ctx.resource);
}

function professionalSelfPermit(ctx: WriteContext): Verdict {
  const { facts, holder } = ctx;
  const open = dmpVerdict(facts, [holder!], facts.open);
  if (open.kind === 'reject') return open;
  if (facts.blocked.includes(holder!)) return reject(forbidden('BLOCKED_BY_PATIENT', 'a blocked professional cannot authorise themselves', 'R3.4'));
  if (!onlySelfPermitAdded(ctx)) {
    return reject(forbidden('SELF_PERMIT_ONLY', "a professional may only add an authorisation naming themselves to the patient's access choices", 'D19'));
  }
  return PROCEED;
}

export async function consentWrite(ctx: WriteContext): Promise<WriteOutcome> {
  const categories = [ctx.previous?.category, ctx.next?.category];
  if (categories.includes(DMP_ACCESS)) return accessConsent(ctx);
  if (categories.includes(DMP_CREATION)) return creationConsent(ctx);
  // any other Consent of the holder: clinical-like data of their DMP
  if (isHolderRole(ctx.caller.role)) {
    const access = holderWriteAccess(ctx);
    return access.kind === 'reject' ? refuse(access) : proceedWith(ctx.resource);
  }
  if (isProfessionalRole(ctx.caller.role)) {
    const access = professionalWriteAccess(ctx);
    return access.kind === 'reject' ? refuse(access) : proceedWith(ctx.resource);
  }
  return refuse(reject(forbidden('ROLE_NOT_ALLOWED', 'this role writes only the consent opening or closing a DMP', 'R8.7')));
}
