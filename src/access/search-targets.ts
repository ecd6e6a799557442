import type { QueryPairs } from '../interactions/context.js';
import { referenceTarget } from './fhir-values.js';

/**
 * The holders a search names, for the pipeline's `Operation.holders`: the compartment's patient,
 * the values of `patient` and `subject` (with or without `:Patient`), and `_id` on Patient. They
 * decide the 409 of a closed DMP (R2.1, R9.2) and bound break-glass and regulator access (R6.1,
 * R6.2) to the holders asked for; the search criteria themselves still select the rows.
 * `undefined` when the search names no holder.
 */

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function holderOf(value: string, plainIdIsPatient: boolean): string | undefined {
  if (plainIdIsPatient && ID.test(value)) return `Patient/${value}`;
  const target = referenceTarget(value);
  return target?.type === 'Patient' ? `Patient/${target.id}` : undefined;
}

export function searchTargets(type: string, pairs: QueryPairs, compartment?: { type: string; id: string }): string[] | undefined {
  const holders = new Set<string>();
  if (compartment?.type === 'Patient') holders.add(`Patient/${compartment.id}`);
  for (const [name, raw] of pairs) {
    const [code, modifier] = name.split(':') as [string, string | undefined];
    if (name.includes('.') || (modifier !== undefined && modifier !== 'Patient')) continue;
    const byId = type === 'Patient' && code === '_id';
    if (code !== 'patient' && code !== 'subject' && !byId) continue;
    const plainIdIsPatient = byId || code === 'patient' || modifier === 'Patient';
    for (const value of raw.split(/(?<!\\),/)) {
      const holder = holderOf(value.trim(), plainIdIsPatient);
      if (holder) holders.add(holder);
    }
  }
  return holders.size > 0 ? [...holders].sort() : undefined;
}
