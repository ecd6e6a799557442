import { badRequest, preconditionFailed } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { findMatches } from './search.js';

/**
 * The resources a conditional interaction's criteria select (`If-None-Exist`, `PUT/DELETE [type]?…`)
 * among those the caller may see: none, one, or several (412, per
 * https://hl7.org/fhir/R4/http.html#cond-update).
 */
export async function conditionalMatch(
  ctx: RequestContext,
  type: string,
  query: string,
  what: string,
): Promise<StoredRow | undefined> {
  const criteria = query.replace(/^\?/, '');
  if (!criteria.trim()) throw badRequest('MISSING_CRITERIA', `${what} needs search criteria`);
  const narrow = await ctx.guard?.searchNarrow(type, [...new URLSearchParams(criteria)]);
  const matches = await findMatches(ctx, type, criteria, narrow);
  if (matches.length > 1) {
    throw preconditionFailed('MULTIPLE_MATCHES', `${what}: the criteria "${criteria}" match more than one ${type}`);
  }
  return matches[0];
}
