import type { Resource } from 'fhir/r4';
import { FhirError, forbidden, methodNotAllowed, unprocessable } from '../fhir/errors.js';
import type { Store, StoredRow } from '../store/store.js';
import type { AccessContext, Role } from './access-context.js';
import { extractAccessFacts, type SecFacts } from './facts.js';
import { reject, type Verdict } from './interceptor.js';
import { isClinical, isDirectory, OCCUPATIONAL_MEDICINE } from './kinds.js';
import type { AccessDecision, AccessMode } from './pipeline.js';
import { holdersOfRow, type DecideFor } from './read-access.js';
import type { AccessRules } from './rules.js';
import { consentWrite } from './write-consents.js';
import { documentWrite } from './write-documents.js';
import { binaryWrite, clinicalWrite, patientWrite, relatedPersonWrite } from './write-others.js';
import { singleHolder, type WriteContext, type WriteOutcome } from './write-checks.js';

/**
 * The write side of the access rules, as data: who may create, update, patch or delete what. The
 * lead calls `authorizeWrite` before building the row and stores `decision.resource` (the request's
 * resource, completed by the server where the rules say so: R8.1 author, delegate tag).
 */

export interface WriteRequest {
  interaction: 'create' | 'update' | 'patch' | 'delete';
  type: string;
  /** The resource to store: the body of a create or update, the patched resource of a patch; absent for delete. */
  resource?: Resource;
  /** The current row (update, patch, delete); absent or a tombstone when the write creates the resource. */
  current?: StoredRow;
}

export interface WriteDecision {
  verdict: Verdict;
  /** The deciding rule of a refusal (or R6.1/R6.2 when written through emergency access). */
  rule?: string;
  /** What to store when the verdict is not `reject` (absent for delete). */
  resource?: Resource;
  breakGlass: boolean;
  regulator: boolean;
  emergencyHolders: readonly string[];
  accessMode: AccessMode;
}

export interface WriteEnv {
  decide: DecideFor;
  rules: AccessRules;
  now: Date;
}

const HOLDER_WRITES = ['Patient', 'Consent', 'RelatedPerson', 'DocumentReference', 'Binary'];
const PS_WRITES = ['Patient', 'Consent', 'RelatedPerson', 'DocumentReference', 'Binary', 'AllergyIntolerance', 'Immunization', 'List'];

/** Role × type (403, D10): the types each role may write at all, with the rule a refusal names. */
const WRITES: Record<Role, { may: (type: string, caller: AccessContext) => boolean; rule: string }> = {
  professional: { may: (type, caller) => PS_WRITES.includes(type) && !(caller.specialty === OCCUPATIONAL_MEDICINE && isClinical(type)), rule: 'R1.3' },
  delegate: { may: (type, caller) => WRITES.professional.may(type, caller), rule: 'R8.1' },
  regulator: { may: (type, caller) => WRITES.professional.may(type, caller), rule: 'R6.2' },
  patient: { may: (type) => HOLDER_WRITES.includes(type), rule: 'R7.2' },
  'legal-representative': { may: (type) => HOLDER_WRITES.includes(type), rule: 'R7.5' },
  reception: { may: (type) => ['Patient', 'Consent', 'RelatedPerson'].includes(type), rule: 'R8.7' },
  'insurer-agent': { may: (type) => ['Patient', 'Consent'].includes(type), rule: 'R8.7' },
  'insurer-feed': { may: (type) => ['DocumentReference', 'Binary', 'List'].includes(type), rule: 'R8.5' },
  admin: { may: (type) => isDirectory(type), rule: 'R1.4' },
};

function decisionOf(decision: AccessDecision, outcome: WriteOutcome): WriteDecision {
  const refused = outcome.verdict.kind === 'reject';
  const rule = refused ? (outcome.verdict as { outcome: FhirError }).outcome.rule : decision.rule;
  return {
    verdict: outcome.verdict,
    ...(rule ? { rule } : {}),
    ...(!refused && outcome.resource ? { resource: outcome.resource } : {}),
    breakGlass: !refused && decision.breakGlass,
    regulator: !refused && decision.regulator,
    emergencyHolders: refused ? [] : decision.emergencyHolders,
    accessMode: refused ? 'normal' : decision.accessMode,
  };
}

const refusal = (error: FhirError, rule?: string): WriteDecision => ({
  verdict: reject(error),
  ...((rule ?? error.rule) ? { rule: rule ?? error.rule } : {}),
  breakGlass: false,
  regulator: false,
  emergencyHolders: [],
  accessMode: 'normal',
});

function holdersOf(...facts: Array<SecFacts | undefined>): string[] {
  return [...new Set(facts.map(singleHolder).filter((h): h is string => h !== undefined))];
}

/** D15: the holders of the live documents a Binary is bound to, which its write rules check too. */
async function boundHolders(store: Store, type: string, next: SecFacts | undefined): Promise<string[]> {
  if (type !== 'Binary') return [];
  const rows = await Promise.all((next?.documents ?? []).map((id) => store.read('DocumentReference', id)));
  return rows.flatMap((row) => (row && !row.deleted ? holdersOfRow(row) : []));
}

async function byType(ctx: WriteContext): Promise<WriteOutcome> {
  switch (ctx.type) {
    case 'DocumentReference':
      return documentWrite(ctx);
    case 'Consent':
      return consentWrite(ctx);
    case 'Patient':
      return patientWrite(ctx);
    case 'RelatedPerson':
      return relatedPersonWrite(ctx);
    case 'Binary':
      return binaryWrite(ctx);
    default:
      return isDirectory(ctx.type) ? { verdict: { kind: 'proceed' }, ...(ctx.resource ? { resource: ctx.resource } : {}) } : clinicalWrite(ctx);
  }
}

export async function authorizeWrite(store: Store, caller: AccessContext, request: WriteRequest, env: WriteEnv): Promise<WriteDecision> {
  const { interaction, type, resource } = request;
  // D13: traces are written by the server only
  if (type === 'AuditEvent') {
    const { issues } = methodNotAllowed('AuditEvents are written by the server only and cannot be created, changed or deleted.');
    return refusal(new FhirError(405, 'METHOD_NOT_ALLOWED', issues, {}, 'D13'));
  }
  const current = request.current && !request.current.deleted ? request.current : undefined;
  const previous = current?.sec as SecFacts | undefined;
  const next = resource ? extractAccessFacts(resource, { previous: current?.sec, writer: caller, rules: env.rules }) : undefined;
  const holders = holdersOf(previous, next);

  const decision = await env.decide({ interaction, type, holders, within: [...holders, ...(await boundHolders(store, type, next))] });
  if (decision.verdict.kind === 'reject') return decisionOf(decision, { verdict: decision.verdict });
  if (decision.disabled) return decisionOf(decision, { verdict: decision.verdict, ...(resource ? { resource } : {}) });
  const writes = WRITES[caller.role];
  if (!writes?.may(type, caller)) {
    const rule = isDirectory(type) ? 'R1.4' : (writes?.rule ?? 'R1.3');
    return refusal(forbidden('ROLE_NOT_ALLOWED', `this role may not ${interaction} ${type} (${rule})`, rule));
  }
  const [before, after] = [singleHolder(previous), singleHolder(next)];
  if (before && after && before !== after) {
    return refusal(unprocessable('PATIENT_CHANGED', `a ${type} cannot move to another patient's record`, [`${type}`], 'R4.5'));
  }
  const ctx: WriteContext = {
    store,
    caller,
    facts: decision.state.facts,
    decision,
    interaction,
    type,
    ...(resource ? { resource } : {}),
    ...(current ? { current } : {}),
    ...(previous ? { previous } : {}),
    ...(next ? { next } : {}),
    ...((after ?? before) ? { holder: after ?? before } : {}),
    rules: env.rules,
    now: env.now,
  };
  return decisionOf(decision, await byType(ctx));
}
