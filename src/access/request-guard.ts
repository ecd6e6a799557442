import type { Resource } from 'fhir/r4';
import { forbidden } from '../fhir/errors.js';
import type { QueryPairs } from '../interactions/context.js';
import type { Narrow } from '../search/types.js';
import type { AccessFacts, Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { extractAccessFacts } from './facts.js';
import { isHolderBound } from './kinds.js';
import type { AccessDecision, AccessPipeline, FactsMemo } from './pipeline.js';
import { searchTargets } from './search-targets.js';
import type { WriteDecision, WriteRequest } from './write-access.js';

/**
 * One request's access checks, bound to its caller: what the interactions call to narrow a query,
 * to decide on one row, and to authorise a write. Every refusal is thrown as the verdict's
 * FhirError; the decisions are kept for the audit (deciding rule, break-glass, access mode).
 */
export interface RequestGuard {
  readonly caller: AccessContext;
  /** Read, vread or instance history of one resource, decided on its current row (D23). */
  readRow(row: StoredRow, interaction: 'read' | 'vread' | 'history'): Promise<void>;
  /** The filter fragment ANDed into every query of a search (main, total, includes, chains, `_has`). */
  searchNarrow(type: string, pairs: QueryPairs, compartment?: { type: 'Patient'; id: string }): Promise<Narrow>;
  /** Type-level history: allowed only where the caller's narrowing is empty (nothing is hidden). */
  typeHistory(type: string): Promise<void>;
  /** A write: refusals thrown; returns the resource to store (author added, R8.1). */
  write(request: WriteRequest): Promise<Resource | undefined>;
  /** The access facts stored with a new version (`row.sec`). */
  facts(resource: Resource, previous?: AccessFacts): AccessFacts;
  /** Every decision taken for this request, in order. */
  readonly decisions: ReadonlyArray<AccessDecision | WriteDecision>;
}

function byIdentifier(type: string, pairs: QueryPairs): boolean {
  return type === 'Patient' && pairs.some(([name, value]) => name === 'identifier' && /\|./.test(value) && !/(?<!\\),/.test(value));
}

/**
 * Whether every row a search narrows belongs to the holders it names (searchTargets): a type with
 * one holder per row, selected by its holder (`patient`, `subject`, Patient `_id`), with no query
 * that may reach other holders' rows (a compartment also holds what the patient authored; includes,
 * reverse includes, chains and `_has` run their own queries under the same narrowing).
 */
function reachesTargetsOnly(type: string, pairs: QueryPairs, compartment: unknown): boolean {
  if (!isHolderBound(type) || compartment) return false;
  return pairs.every(([name]) => !name.startsWith('_include') && !name.startsWith('_revinclude') && !name.startsWith('_has') && !name.includes('.'));
}

export function createRequestGuard(
  store: Store,
  pipeline: AccessPipeline,
  caller: AccessContext,
  onDecision?: (decision: AccessDecision | WriteDecision) => void,
): RequestGuard {
  const decisions: Array<AccessDecision | WriteDecision> = [];
  // the caller facts this request read, by holders: every decision of the request reuses them
  const memo: FactsMemo = new Map();
  const settle = <T extends AccessDecision | WriteDecision>(decision: T): T => {
    decisions.push(decision);
    onDecision?.(decision);
    if (decision.verdict.kind === 'reject') throw decision.verdict.outcome;
    return decision;
  };
  return {
    caller,
    decisions,
    async readRow(row, interaction) {
      settle(await pipeline.authorizeRead(store, caller, row, interaction, memo));
    },
    async searchNarrow(type, pairs, compartment) {
      const holders = searchTargets(type, pairs, compartment);
      const decision = settle(
        await pipeline.decide(store, caller, {
          interaction: 'search',
          type,
          ...(holders ? { holders } : {}),
          ...(holders && reachesTargetsOnly(type, pairs, compartment) ? { within: holders } : {}),
          byIdentifier: byIdentifier(type, pairs),
        }, memo),
      );
      return decision.narrow;
    },
    async typeHistory(type) {
      const decision = settle(await pipeline.decide(store, caller, { interaction: 'history', type }, memo));
      const filter = decision.narrow(type);
      if (filter && Object.keys(filter).length > 0) {
        // Versions are not narrowed by their resource's current state yet (D23): refuse rather than leak.
        settle({ ...decision, verdict: { kind: 'reject', outcome: forbidden('TYPE_HISTORY_RESTRICTED', `the history of all ${type} resources is not available to this caller; use the history of one resource, or search with _lastUpdated`) } });
      }
    },
    async write(request) {
      const decision = settle(await pipeline.authorizeWrite(store, caller, request, memo));
      return decision.resource;
    },
    facts(resource, previous) {
      return extractAccessFacts(resource, { ...(previous ? { previous } : {}), writer: caller, rules: pipeline.rules });
    },
  };
}
