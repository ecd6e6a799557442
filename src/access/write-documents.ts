import type { Coding, DocumentReference, Reference } from 'fhir/r4';
import { forbidden, notFound, unprocessable } from '../fhir/errors.js';
import { ACTOR_SYSTEM, INVISIBLE_TO_PATIENT, INVISIBLE_TO_REPS, MASKED_TO_PROFESSIONALS, RPPS_SYSTEM, VSM_TYPE } from './codes.js';
import { extractAccessFacts, type SecFacts } from './facts.js';
import { PROCEED, reject, type Verdict } from './interceptor.js';
import { isProfessionalRole } from './kinds.js';
import { hidingRule, rowMatcher } from './read-access.js';
import { labelChanges, onlyLabelsChanged, onlyLabelsOrArchiveChanged } from './resource-diff.js';
import {
  holderWriteAccess,
  isAuthorOrColleague,
  openDmpOnly,
  professionalWriteAccess,
  proceedWith,
  refuse,
  type WriteContext,
  type WriteOutcome,
} from './write-checks.js';

/**
 * Writing DocumentReferences: deposits and replacements by professionals and delegates (R4.5,
 * R8.1, R8.3, R8.4, R5.3 release), the reimbursement feed (R8.5, R8.6), and the holder's or a rep's
 * own documents, masking and archiving (R5.2, R7.2, D16). Refusals follow D10: 403, then 409,
 * then 404, then 422.
 */

const WISHES = 'wishes';

function authorOf(facts: SecFacts | undefined) {
  return { rpps: facts?.authorRpps ?? [], refs: facts?.authorRefs ?? [] };
}

/** R8.1: the caller is the author; the server adds them when no author is given. */
function withProfessionalAuthor(ctx: WriteContext, doc: DocumentReference, allowed: readonly string[]): DocumentReference | Verdict {
  const { caller } = ctx;
  const authors = authorOf(ctx.next);
  const foreign = authors.rpps.filter((r) => !allowed.includes(r));
  if (foreign.length > 0 || authors.refs.length > 0) {
    const who = caller.role === 'delegate' ? 'the professional named in the token' : 'the caller';
    return reject(forbidden('AUTHOR_NOT_CALLER', `a document's author must be ${who}`, 'R8.1'));
  }
  let amended = doc;
  if (authors.rpps.length === 0 && caller.rpps) {
    const author: Reference = { identifier: { system: RPPS_SYSTEM, value: caller.rpps } };
    amended = { ...amended, author: [...(amended.author ?? []), author] };
  }
  if (caller.role === 'delegate' && !amended.meta?.tag?.some((t) => t.system === ACTOR_SYSTEM && t.code === 'delegate')) {
    const tag: Coding = { system: ACTOR_SYSTEM, code: 'delegate' };
    amended = { ...amended, meta: { ...amended.meta, tag: [...(amended.meta?.tag ?? []), tag] } };
  }
  return amended;
}

const isVerdict = (value: unknown): value is Verdict => typeof value === 'object' && value !== null && 'kind' in value;

/** R8.4: only a DMP GP deposits the medical summary (VSM). */
function summaryRule(ctx: WriteContext): Verdict {
  if (!ctx.next?.types?.includes(VSM_TYPE) || (ctx.holder && ctx.facts.gp.includes(ctx.holder))) return PROCEED;
  return reject(forbidden('SUMMARY_BY_GP_ONLY', 'only a DMP GP of the patient deposits the medical summary (VSM)', 'R8.4'));
}

/** R8.3: replacing a document needs the right to replace each document it replaces. */
async function replacementRule(ctx: WriteContext): Promise<Verdict> {
  for (const id of ctx.next?.replaces ?? []) {
    const target = await ctx.store.read('DocumentReference', id);
    if (!target || target.deleted || (target.sec as SecFacts).patient !== ctx.holder) {
      return reject(unprocessable('REPLACED_NOT_FOUND', `DocumentReference/${id} (relatesTo replaces) is not a document of this patient`, ['DocumentReference.relatesTo'], 'R8.3'));
    }
    if (!isAuthorOrColleague(ctx.caller, target.sec as SecFacts)) {
      return reject(forbidden('NOT_THE_AUTHOR', 'only the author of a document, or a professional of its structure, replaces it', 'R8.3'));
    }
  }
  return PROCEED;
}

/**
 * R5.3 and R5.4: any professional with access, not only the author, releases a result (removes
 * INVISIBLE_PATIENT) and hides a document from reps at the minor's request (adds or removes
 * INVISIBLE_REPRESENTANTS_LEGAUX), changing nothing else.
 */
function isStatusChange(ctx: WriteContext): boolean {
  if (!ctx.current?.resource || !ctx.resource || !onlyLabelsChanged(ctx.current.resource, ctx.resource)) return false;
  const { added, removed } = labelChanges(ctx.previous?.labels, ctx.next?.labels);
  return added.every((l) => l === INVISIBLE_TO_REPS) && removed.every((l) => l === INVISIBLE_TO_PATIENT || l === INVISIBLE_TO_REPS);
}

async function professionalDocument(ctx: WriteContext): Promise<WriteOutcome> {
  const access = professionalWriteAccess(ctx);
  if (access.kind === 'reject') return refuse(access);
  const { caller, previous, interaction } = ctx;
  if (interaction === 'delete' || ctx.current) {
    if (previous?.personal || !isAuthorOrColleague(caller, previous)) {
      if (interaction !== 'delete' && !previous?.personal && isStatusChange(ctx)) return proceedWith(ctx.resource);
      return refuse(reject(forbidden('NOT_THE_AUTHOR', 'only the author of a document, or a professional of its structure, changes or deletes it', 'R8.3')));
    }
    if (interaction === 'delete') return proceedWith(undefined);
  }
  const allowed = [...(previous?.authorRpps ?? []), ...(caller.rpps ? [caller.rpps] : [])];
  const amended = withProfessionalAuthor(ctx, ctx.resource as DocumentReference, allowed);
  if (isVerdict(amended)) return refuse(amended);
  const summary = summaryRule(ctx);
  if (summary.kind === 'reject') return refuse(summary);
  const replaces = await replacementRule(ctx);
  if (replaces.kind === 'reject') return refuse(replaces);
  return proceedWith(amended);
}

/** R7.2: what the holder (or a rep) deposits is theirs: personal space or wishes, authored by them. */
function holderOwnDocument(ctx: WriteContext, doc: DocumentReference): WriteOutcome {
  const { caller } = ctx;
  const me = caller.fhirUser!;
  let amended = doc;
  if ((doc.author ?? []).length === 0) amended = { ...doc, author: [{ reference: me }] };
  const facts = extractAccessFacts(amended, { previous: ctx.current?.sec, rules: ctx.rules });
  const own = [me, ...(ctx.holder ? [ctx.holder] : [])];
  const foreign = (facts.authorRpps ?? []).length > 0 || (facts.authorRefs ?? []).some((r) => !own.includes(r)) || !facts.personal;
  if (foreign || (facts.family !== ctx.rules.families.holderFamily && facts.family !== WISHES)) {
    return refuse(reject(forbidden('PERSONAL_SPACE_ONLY', 'a patient deposits only documents of their personal space or wishes, authored by themselves', 'R7.2')));
  }
  if ((facts.labels ?? []).some((l) => l !== MASKED_TO_PROFESSIONALS)) {
    return refuse(reject(forbidden('LABEL_NOT_ALLOWED', 'a patient may only mask a document to professionals', 'R5.2')));
  }
  return proceedWith(amended);
}

async function holderDocument(ctx: WriteContext): Promise<WriteOutcome> {
  const access = holderWriteAccess(ctx);
  if (access.kind === 'reject') return refuse(access);
  const { current, previous, interaction } = ctx;
  if (current) {
    // a document the holder or rep cannot see does not exist for them (R5.3, R5.4)
    const matches = rowMatcher(current);
    if (!matches(ctx.decision.narrow('DocumentReference'))) {
      const rule = hidingRule(ctx.decision, 'DocumentReference', matches);
      return refuse(reject(notFound('RESOURCE_NOT_FOUND', `DocumentReference/${current.id} is not known`, rule)));
    }
  }
  if (interaction === 'delete') {
    return previous?.personal ? proceedWith(undefined) : refuse(reject(forbidden('NOT_THE_AUTHOR', "a patient never deletes a professional's document", 'R7.2')));
  }
  if (!current || previous?.personal) return holderOwnDocument(ctx, ctx.resource as DocumentReference);
  if (!onlyLabelsOrArchiveChanged(current.resource!, ctx.resource!)) {
    return refuse(reject(forbidden('LABELS_AND_ARCHIVE_ONLY', "a patient changes only the masking and archiving of a professional's document", 'D16')));
  }
  const { added, removed } = labelChanges(previous?.labels, ctx.next?.labels);
  if ([...added, ...removed].some((l) => l !== MASKED_TO_PROFESSIONALS)) {
    return refuse(reject(forbidden('LABEL_NOT_ALLOWED', 'a patient may only mask or unmask a document to professionals', 'R5.2')));
  }
  return proceedWith(ctx.resource);
}

/** R8.5: the insurer feed writes reimbursement history and nothing else. */
function feedDocument(ctx: WriteContext): WriteOutcome {
  if (!ctx.next?.reimbursement && ctx.interaction !== 'delete') {
    return refuse(reject(forbidden('REIMBURSEMENT_ONLY', 'the insurer feed writes only reimbursement history', 'R8.5')));
  }
  if (ctx.current && !ctx.previous?.reimbursement) {
    return refuse(reject(forbidden('REIMBURSEMENT_ONLY', 'the insurer feed changes only reimbursement history', 'R8.5')));
  }
  const open = openDmpOnly(ctx);
  return open.kind === 'reject' ? refuse(open) : proceedWith(ctx.resource);
}

export async function documentWrite(ctx: WriteContext): Promise<WriteOutcome> {
  const { next, previous, caller } = ctx;
  // R8.6 first (D16): reimbursement data are never masked, by anyone
  if (next?.reimbursement && (next.labels ?? []).length > 0) {
    return refuse(reject(unprocessable('REIMBURSEMENT_NOT_MASKABLE', 'reimbursement data can never be masked', ['DocumentReference.securityLabel'], 'R8.6')));
  }
  if (caller.role === 'insurer-feed') return feedDocument(ctx);
  if (next?.reimbursement && !previous?.reimbursement) {
    return refuse(reject(forbidden('REIMBURSEMENT_BY_FEED_ONLY', 'only the insurer feed writes reimbursement history', 'R8.5')));
  }
  if (isProfessionalRole(caller.role)) return professionalDocument(ctx);
  return holderDocument(ctx);
}
