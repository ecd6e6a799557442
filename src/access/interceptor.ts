import type { Resource } from 'fhir/r4';
import type { FhirError } from '../fhir/errors.js';
import type { Filter } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import type { CallerFacts } from './caller-facts.js';
import type { AccessRules } from './rules.js';

/**
 * The contract of ARCHITECTURE.md "Access control as interceptors". An interceptor decides as data:
 * a verdict for the whole operation and a filter fragment per resource type, ANDed by the pipeline
 * into every query. It never touches the store, the reply or the audit (CONVENTIONS.md rule 4).
 */

export type Verdict = { kind: 'proceed' } | { kind: 'authorized' } | { kind: 'reject'; outcome: FhirError };

export const PROCEED: Verdict = { kind: 'proceed' };

export const reject = (outcome: FhirError): Verdict => ({ kind: 'reject', outcome });

/** The interactions the access rules tell apart; every read-side one is narrowed the same way. */
export type AccessInteraction = 'read' | 'vread' | 'search' | 'history' | 'create' | 'update' | 'patch' | 'delete' | 'operation';

export const READ_INTERACTIONS: readonly AccessInteraction[] = ['read', 'vread', 'search', 'history', 'operation'];

export interface Operation {
  interaction: AccessInteraction;
  /** The resource type the request is about (the searched type; includes are narrowed per type). */
  type: string;
  /** Holders (`Patient/<id>`) the request targets, when known: see search-targets.ts and read-access.ts. */
  holders?: readonly string[];
  /**
   * Every row the decision applies to belongs to these holders (and `holders`): the caller's
   * consent facts are then read for them only. Absent: for every holder naming the caller.
   */
  within?: readonly string[];
  /** A Patient search by exact identifier (INS): D21 lets any professional find a patient that way. */
  byIdentifier?: boolean;
}

/**
 * What every interceptor is fed: the caller as the token says (AccessContext), what the store says
 * about the caller now (CallerFacts, D30), the operation, the data tables and the injected clock.
 */
export interface AccessState {
  caller: AccessContext;
  facts: CallerFacts;
  op: Operation;
  rules: AccessRules;
  now: Date;
}

export interface AccessInterceptor {
  /** The rule it enforces (`R5.1`), recorded in the AuditEvent as the deciding rule. */
  name: string;
  /** Whole-operation check: `reject` stops the request with its outcome (403, 409, …). */
  start?(ctx: AccessState, op: Operation): Verdict;
  /**
   * A MongoDB filter over `sec.*` and `id` ANDed into every query on `type`; `undefined` = no
   * opinion. A type on which no interceptor has an opinion is invisible (deny by default); `{}`
   * is an explicit "visible, no restriction".
   */
  narrow?(ctx: AccessState, type: string): Filter | undefined;
  /** Shapes a returned resource (labels, redaction); never adds data. */
  willSee?(ctx: AccessState, resource: Resource): Resource;
}
