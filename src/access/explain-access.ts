import type { StoredRow, Store } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import type { AccessDecision } from './pipeline.js';
import { authorizeRowRead, holdersOfRow, type DecideFor } from './read-access.js';

/**
 * D28 (`DocumentReference/[id]/$access`): whether one candidate actor can see one resource, and the
 * deciding rule, found by running the very same pipeline as a read by that actor (no second copy
 * of the rules). Refused: the rule that refused or hid it. Visible: the ground on which the actor
 * reaches the holder (R3.1 authorised, R3.2 structure, R3.3 GP, R6.1/R6.2 emergency, R7.1 holder,
 * R7.5 rep), or the first rule that granted the type.
 */

export interface AccessExplanation {
  canSee: boolean;
  rule: string;
}

function grantRule(decision: AccessDecision, row: StoredRow): string {
  const { caller, facts } = decision.state;
  if (caller.role === 'patient') return 'R7.1';
  if (caller.role === 'legal-representative') return 'R7.5';
  const holder = holdersOfRow(row)[0] ?? facts.targets?.[0];
  if (holder) {
    if (facts.gp.includes(holder)) return 'R3.3';
    if (facts.authorisedPs.includes(holder)) return 'R3.1';
    if (facts.authorisedStructure.includes(holder)) return 'R3.2';
    if (facts.emergency.includes(holder)) return caller.role === 'regulator' ? 'R6.2' : 'R6.1';
  }
  return decision.fragments(row.type)[0]?.rule ?? 'R1.3';
}

export async function explainAccess(store: Store, row: StoredRow, actor: AccessContext, decideFor: DecideFor): Promise<AccessExplanation> {
  const decision = await authorizeRowRead(store, actor, row, 'read', decideFor);
  if (decision.verdict.kind === 'reject') return { canSee: false, rule: decision.verdict.outcome.rule ?? decision.rule ?? 'R1.3' };
  return { canSee: true, rule: grantRule(decision, row) };
}
