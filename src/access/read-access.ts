import { notFound } from '../fhir/errors.js';
import type { Filter, Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { callerKey } from './caller-key.js';
import type { SecFacts } from './facts.js';
import { reject, type Operation } from './interceptor.js';
import type { AccessDecision } from './pipeline.js';
import { matchesRow } from './row-match.js';

/**
 * Read, vread and history of one resource, decided on its current row with the same `narrow` a
 * search uses: the row is visible when it matches `narrow(type)`. A hidden row is a plain 404
 * (the same answer as an unknown id, R5.5) naming the rule that hid it.
 * A Binary is visible when one of its DocumentReferences is, or, standalone, to its creator (D15).
 */

export type DecideFor = (op: Operation) => Promise<AccessDecision>;

/** The holders (`Patient/<id>`) a row belongs to. */
export function holdersOfRow(row: StoredRow): string[] {
  const patient = (row.sec as SecFacts).patient;
  return patient === undefined ? [] : Array.isArray(patient) ? patient : [patient];
}

/**
 * Whether the row in hand (live or a tombstone) matches a filter, evaluated in memory with
 * MongoDB's semantics (row-match.ts): the row was just read, so a second query would only read it
 * again. The filters are the few shapes of sec-filters.ts, each of which the store contract suite
 * checks against both stores.
 */
export function rowMatcher(row: StoredRow): (filter: Filter | undefined) => boolean {
  return (filter) => matchesRow(filter, row);
}

/** The first interceptor (in pipeline order) whose fragment leaves the row out; deny by default otherwise. */
export function hidingRule(decision: AccessDecision, type: string, matches: (filter: Filter) => boolean): string {
  for (const { rule, filter } of decision.fragments(type)) if (!matches(filter)) return rule;
  return 'R1.3';
}

function hidden(decision: AccessDecision, row: StoredRow, rule: string): AccessDecision {
  return {
    ...decision,
    verdict: reject(notFound('RESOURCE_NOT_FOUND', `${row.type}/${row.id} is not known`, rule)),
    rule,
    breakGlass: false,
    regulator: false,
    emergencyHolders: [],
    accessMode: 'normal',
  };
}

async function binaryRead(store: Store, caller: AccessContext, row: StoredRow, interaction: Operation['interaction'], decideFor: DecideFor) {
  const named = (row.sec as SecFacts).documents ?? [];
  const documents = await store.find('DocumentReference', {
    filter: { $or: [{ id: { $in: named } }, { 'sec.binaries': row.id }] },
    limit: 100,
  });
  const holders = [...new Set(documents.flatMap(holdersOfRow))];
  const decision = await decideFor({ interaction, type: 'Binary', holders, within: holders });
  if (decision.verdict.kind === 'reject' || decision.disabled) return decision;
  if (documents.length === 0) {
    return (row.sec as SecFacts).creator === callerKey(caller) ? decision : hidden(decision, row, 'D15');
  }
  const filter = decision.narrow('DocumentReference');
  if (documents.some((document) => rowMatcher(document)(filter))) return decision;
  return hidden(decision, row, hidingRule(decision, 'DocumentReference', rowMatcher(documents[0]!)));
}

export async function authorizeRowRead(
  store: Store,
  caller: AccessContext,
  row: StoredRow,
  interaction: Operation['interaction'],
  decideFor: DecideFor,
): Promise<AccessDecision> {
  if (row.type === 'Binary') return binaryRead(store, caller, row, interaction, decideFor);
  const holders = holdersOfRow(row);
  const decision = await decideFor({ interaction, type: row.type, holders, within: holders });
  if (decision.verdict.kind === 'reject') return decision;
  const matches = rowMatcher(row);
  if (matches(decision.narrow(row.type))) return decision;
  return hidden(decision, row, hidingRule(decision, row.type, matches));
}
