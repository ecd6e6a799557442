import { FhirError, badRequest, notFound } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import { conditionalMatch } from '../interactions/conditional.js';
import type { RequestContext } from '../interactions/context.js';
import type { ReferenceSlot } from './references.js';

/**
 * Conditional references (`Practitioner?identifier=system|value` in `Reference.reference`,
 * https://hl7.org/fhir/R4/http.html#trules): each resolves to the one resource the caller may see
 * that matches, searched like a conditional create's criteria (access narrowing included: what the
 * caller cannot see is not found). No match is 404 and several are 412, as HAPI FHIR answers.
 * Resources written by the same Bundle are not candidates: the criteria are searched in the store.
 */

export type Resolution = { reference: string } | { error: FhirError };

/** Resolves each distinct reference once, all at the same time. */
export async function resolveConditionalReferences(ctx: RequestContext, references: Iterable<string>): Promise<Map<string, Resolution>> {
  const distinct = [...new Set(references)];
  const outcomes = await Promise.all(distinct.map(async (reference): Promise<Resolution> => {
    try {
      return { reference: await resolveOne(ctx, reference) };
    } catch (error) {
      if (error instanceof FhirError) return { error };
      throw error;
    }
  }));
  return new Map(distinct.map((reference, i) => [reference, outcomes[i]!]));
}

async function resolveOne(ctx: RequestContext, reference: string): Promise<string> {
  const cut = reference.indexOf('?');
  const type = reference.slice(0, cut);
  const criteria = reference.slice(cut + 1);
  if (!isSupportedType(type)) throw notFound('UNSUPPORTED_TYPE', `the conditional reference "${reference}" names a type this server does not hold`);
  if (!criteria.trim()) throw badRequest('MISSING_CRITERIA', `the conditional reference "${reference}" has no criteria`);
  const match = await conditionalMatch(ctx, type, criteria, `the conditional reference "${reference}"`);
  if (!match) throw notFound('CONDITIONAL_REFERENCE_UNRESOLVED', `no ${type} matches the conditional reference "${reference}"`);
  return `${type}/${match.id}`;
}

/** Writes the resolved references into their slots; the first unresolvable one is thrown. */
export function applyResolutions(slots: readonly ReferenceSlot[], resolutions: ReadonlyMap<string, Resolution>): void {
  for (const slot of slots) {
    const resolution = resolutions.get(slot.value)!;
    if ('error' in resolution) throw resolution.error;
    (slot.holder as Record<string | number, unknown>)[slot.key] = resolution.reference;
  }
}
