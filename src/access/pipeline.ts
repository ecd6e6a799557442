import type { Resource } from 'fhir/r4';
import { and, MATCH_NOTHING } from '../search/narrowed.js';
import type { Narrow } from '../search/types.js';
import type { Filter, Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { auditTrail } from './audit-trail.js';
import { binaryByDocument } from './binary-by-document.js';
import { blockedProfessionals } from './blocked.js';
import { breakGlass } from './break-glass.js';
import { loadCallerFacts, NO_CALLER_FACTS, type CallerFacts } from './caller-facts.js';
import { consentCategories } from './consent-categories.js';
import { consentedProfessionals } from './consent.js';
import { dmpStatus } from './dmp-status.js';
import { explainAccess, type AccessExplanation } from './explain-access.js';
import { habilitationMatrix } from './habilitation.js';
import { holderSelf } from './holder-self.js';
import type { AccessInterceptor, AccessState, Operation, Verdict } from './interceptor.js';
import { invisibleToPatient } from './invisible-to-patient.js';
import { invisibleToReps } from './invisible-to-reps.js';
import { maskedToProfessionals } from './masked-to-professionals.js';
import { minors } from './minors.js';
import { patientLookup } from './patient-lookup.js';
import { authorizeRowRead } from './read-access.js';
import { roleTypes } from './role-types.js';
import { loadAccessRules, type AccessRules } from './rules.js';
import { scopeBound } from './scope-bound.js';
import { authorizeWrite, type WriteDecision, type WriteRequest } from './write-access.js';

/**
 * The access pipeline (ARCHITECTURE.md): the interceptors in their fixed order, fed with the
 * caller facts loaded for the request, give one decision: a verdict (first rejection wins), a
 * `narrow` ANDing every fragment per type (no fragment at all: nothing visible, deny by default),
 * the flags the audit and notifications need, and the deciding rule.
 *
 * Use, one pipeline per app (`createAccessPipeline({ clock: services.clock })`), per request:
 * - search: `decide(store, ctx, { interaction: 'search', type, holders: searchTargets(…) })`, throw
 *   a rejected verdict's outcome, pass `decision.narrow` to `searchType` (it reaches every query);
 * - read, vread, history of one resource: `authorizeRead(store, ctx, currentRow, interaction)`;
 * - create, update, patch, delete: `authorizeWrite(store, ctx, { interaction, type, resource, current })`,
 *   then store `decision.resource` with `sec = extractAccessFacts(row.resource, { previous, writer })`.
 */

/** Order is fixed: authentication facts, DMP status, consent, break-glass, matrix, masking, minors. */
export const ACCESS_INTERCEPTORS: readonly AccessInterceptor[] = [
  // authentication facts: what the role, the scopes and the caller's own identity allow
  roleTypes,
  scopeBound,
  binaryByDocument,
  patientLookup,
  consentCategories,
  auditTrail,
  holderSelf,
  // DMP status
  dmpStatus,
  // consent
  blockedProfessionals,
  consentedProfessionals,
  // break-glass and regulator
  breakGlass,
  // habilitation matrix
  habilitationMatrix,
  // masking
  maskedToProfessionals,
  invisibleToPatient,
  invisibleToReps,
  // minors
  minors,
];

export type AccessMode = 'normal' | 'bris_de_glace' | 'centre_15';

export interface AccessDecision {
  verdict: Verdict;
  /** ANDed by the search engine into every query (main, count, includes, chains, `_has`). */
  narrow: Narrow;
  /** The rule that refused (`R3.5`), or that opened emergency access (`R6.1`, `R6.2`). */
  rule?: string;
  /** A professional reached a holder through break-glass (R6.1): audit and notify (R6.4, R10.2). */
  breakGlass: boolean;
  /** A regulator reached a holder through regulator access (R6.2): audit and notify. */
  regulator: boolean;
  /** The holders reached through emergency access, to notify. */
  emergencyHolders: readonly string[];
  /** TRE_R248 access mode for the AuditEvent. */
  accessMode: AccessMode;
  /** The fragments of one type with the rule of each, in pipeline order (to name what hid a row). */
  fragments(type: string): Array<{ rule: string; filter: Filter }>;
  /** Shapes a returned resource (labels); never adds data. */
  willSee(resource: Resource): Resource;
  state: AccessState;
  /** Access control is switched off (PipelineOptions.disabled): everything is visible and writable. */
  disabled: boolean;
}

export interface PipelineOptions {
  /** Defaults to ACCESS_INTERCEPTORS; an empty list shows nothing (deny by default). */
  interceptors?: readonly AccessInterceptor[];
  /** Switches access control off entirely (everything visible): only to prove the tests bite. */
  disabled?: boolean;
  /** Defaults to the tables of `profiles/`. */
  rules?: AccessRules;
  /** Injectable clock (Services.clock): R5.3's one-month release and minors' ages read it. */
  clock?: () => Date;
}

/** Runs the interceptors over one state; no I/O. */
export function runInterceptors(state: AccessState, interceptors: readonly AccessInterceptor[], disabled = false): AccessDecision {
  const { caller, facts, op } = state;
  if (disabled) {
    return {
      verdict: { kind: 'authorized' },
      narrow: () => undefined,
      breakGlass: false,
      regulator: false,
      emergencyHolders: [],
      accessMode: 'normal',
      fragments: () => [],
      willSee: (resource) => resource,
      state,
      disabled: true,
    };
  }
  let verdict: Verdict = { kind: 'proceed' };
  for (const interceptor of interceptors) {
    const outcome = interceptor.start?.(state, op) ?? { kind: 'proceed' };
    if (outcome.kind === 'reject') {
      verdict = outcome;
      break;
    }
    if (outcome.kind === 'authorized') verdict = outcome;
  }
  const fragmentCache = new Map<string, Array<{ rule: string; filter: Filter }>>();
  const fragments = (type: string) => {
    let list = fragmentCache.get(type);
    if (!list) {
      list = [];
      for (const interceptor of interceptors) {
        const filter = interceptor.narrow?.(state, type);
        if (filter !== undefined) list.push({ rule: interceptor.name, filter });
      }
      fragmentCache.set(type, list);
    }
    return list;
  };
  const narrow: Narrow = (type) => {
    const list = fragments(type);
    return list.length === 0 ? MATCH_NOTHING : and(...list.map((f) => f.filter));
  };
  const emergencyHolders = verdict.kind === 'reject' ? [] : facts.emergency;
  const isBreakGlass = caller.role === 'professional' && emergencyHolders.length > 0;
  const isRegulator = caller.role === 'regulator' && emergencyHolders.length > 0;
  const rule = verdict.kind === 'reject' ? verdict.outcome.rule : isBreakGlass ? 'R6.1' : isRegulator ? 'R6.2' : undefined;
  return {
    verdict,
    narrow,
    ...(rule ? { rule } : {}),
    breakGlass: isBreakGlass,
    regulator: isRegulator,
    emergencyHolders,
    accessMode: isBreakGlass ? 'bris_de_glace' : isRegulator ? 'centre_15' : 'normal',
    fragments,
    willSee: (resource) => interceptors.reduce((shaped, i) => (i.willSee ? i.willSee(state, shaped) : shaped), resource),
    state,
    disabled: false,
  };
}

/**
 * One request's caller facts, by the holders they were read for, so that a request reads them once
 * however many decisions it takes (RequestGuard). Never kept beyond the request (D30).
 */
export type FactsMemo = Map<string, Promise<CallerFacts>>;

const sortedSet = (values: readonly string[]): string[] => [...new Set(values)].sort();

function factsKey(op: Operation): string {
  const holders = op.holders ? sortedSet(op.holders) : null;
  const within = op.within ? sortedSet([...op.within, ...(op.holders ?? [])]) : null;
  return JSON.stringify([holders, within]);
}

export interface AccessPipeline {
  /** Loads the caller facts (once per `memo` and holders) and runs the interceptors for one operation. */
  decide(store: Store, caller: AccessContext, op: Operation, memo?: FactsMemo): Promise<AccessDecision>;
  /**
   * Read, vread and history-instance of one resource: pass its current row (D23: every version is
   * visible exactly when the current one is). Binaries are resolved through their documents (D15).
   * A hidden row gives a 404 verdict naming the rule that hid it.
   */
  authorizeRead(store: Store, caller: AccessContext, row: StoredRow, interaction?: Operation['interaction'], memo?: FactsMemo): Promise<AccessDecision>;
  /** D28: whether `actor` can see the resource of `row`, and the deciding rule, by the same interceptors. */
  explain(store: Store, row: StoredRow, actor: AccessContext): Promise<AccessExplanation>;
  /** Create, update, patch, delete: the write rules (R4.5, R5.2, R7.2, R8.1–R8.6, D13, D16, D19). */
  authorizeWrite(store: Store, caller: AccessContext, request: WriteRequest, memo?: FactsMemo): Promise<WriteDecision>;
  readonly rules: AccessRules;
  readonly clock: () => Date;
}

export function createAccessPipeline(options: PipelineOptions = {}): AccessPipeline {
  const interceptors = options.interceptors ?? ACCESS_INTERCEPTORS;
  const rules = options.rules ?? loadAccessRules();
  const clock = options.clock ?? (() => new Date());
  const disabled = options.disabled ?? false;

  const decide = async (store: Store, caller: AccessContext, op: Operation, memo?: FactsMemo): Promise<AccessDecision> => {
    const now = clock();
    const load = () => loadCallerFacts(store, caller, { holders: op.holders, ...(op.within ? { within: op.within } : {}), now });
    let facts = NO_CALLER_FACTS;
    if (!disabled && memo) {
      const key = factsKey(op);
      let loaded = memo.get(key);
      if (!loaded) memo.set(key, (loaded = load()));
      facts = await loaded;
    } else if (!disabled) {
      facts = await load();
    }
    return runInterceptors({ caller, facts, op, rules, now }, interceptors, disabled);
  };
  const pipeline: AccessPipeline = {
    decide,
    authorizeRead: (store, caller, row, interaction = 'read', memo) =>
      authorizeRowRead(store, caller, row, interaction, (op) => decide(store, caller, op, memo)),
    explain: (store, row, actor) => explainAccess(store, row, actor, (op) => decide(store, actor, op)),
    authorizeWrite: (store, caller, request, memo) =>
      authorizeWrite(store, caller, request, { decide: (op) => decide(store, caller, op, memo), rules, now: clock() }),
    rules,
    clock,
  };
  return pipeline;
}
