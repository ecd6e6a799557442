import { Query } from 'mingo';
import { notFound } from '../fhir/errors.js';
import { and } from '../search/narrowed.js';
import type { Filter, Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { callerKey } from './caller-key.js';
import type { SecFacts } from './facts.js';
import { reject, type Operation } from './interceptor.js';
import type { AccessDecision } from './pipeline.js';

/**
 * Read, vread and history of one resource, decided on its current row with the same `narrow` a
 * search uses: the row is visible when the store finds it under `{ id } AND narrow(type)`. A
 * hidden row is a plain 404 (the same answer as an unknown id, R5.5) naming the rule that hid it.
 * A Binary is visible when one of its DocumentReferences is, or, standalone, to its creator (D15).
 */

export type DecideFor = (op: Operation) => Promise<AccessDecision>;

/** The holders (`Patient/<id>`) a row belongs to. */
export function holdersOfRow(row: StoredRow): string[] {
  const patient = (row.sec as SecFacts).patient;
  return patient === undefined ? [] : Array.isArray(patient) ? patient : [patient];
}

/**
 * Whether a row matches a filter: through the store for a live row (the very query a search runs);
 * a tombstone, which no store query returns, is evaluated in memory by the same MongoDB semantics.
 */
export function rowMatcher(store: Store, row: StoredRow): (filter: Filter | undefined) => Promise<boolean> {
  if (row.deleted) return async (filter) => new Query(filter ?? {}).test(row as unknown as Record<string, unknown>);
  return async (filter) => (await store.count(row.type, and({ id: row.id }, filter))) > 0;
}

/** The first interceptor (in pipeline order) whose fragment leaves the row out; deny by default otherwise. */
export async function hidingRule(decision: AccessDecision, type: string, matches: (filter: Filter) => Promise<boolean>): Promise<string> {
  for (const { rule, filter } of decision.fragments(type)) if (!(await matches(filter))) return rule;
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
  const decision = await decideFor({ interaction, type: 'Binary', holders });
  if (decision.verdict.kind === 'reject' || decision.disabled) return decision;
  if (documents.length === 0) {
    return (row.sec as SecFacts).creator === callerKey(caller) ? decision : hidden(decision, row, 'D15');
  }
  const filter = decision.narrow('DocumentReference');
  if ((await store.count('DocumentReference', and({ id: { $in: documents.map((d) => d.id) } }, filter))) > 0) return decision;
  return hidden(decision, row, await hidingRule(decision, 'DocumentReference', rowMatcher(store, documents[0]!)));
}

export async function authorizeRowRead(
  store: Store,
  caller: AccessContext,
  row: StoredRow,
  interaction: Operation['interaction'],
  decideFor: DecideFor,
): Promise<AccessDecision> {
  if (row.type === 'Binary') return binaryRead(store, caller, row, interaction, decideFor);
  const decision = await decideFor({ interaction, type: row.type, holders: holdersOfRow(row) });
  if (decision.verdict.kind === 'reject') return decision;
  const matches = rowMatcher(store, row);
  if (await matches(decision.narrow(row.type))) return decision;
  return hidden(decision, row, await hidingRule(decision, row.type, matches));
}
