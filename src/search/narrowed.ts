import type { Filter } from '../store/store.js';
import type { Narrow } from './types.js';

/**
 * Every query a search runs goes through these helpers, so the access fragment of `narrow` can never
 * be forgotten on one path (main query, total, paging probes, includes; chaining, `_has` and `_list` go through
 * `storeResolvers` with the same narrow): CONVENTIONS.md rule 5.
 */

/** A filter no row matches: `$in` of nothing is honoured identically by both engines. */
export const MATCH_NOTHING: Filter = { id: { $in: [] } };

/** AND of the given fragments; empty and missing ones are dropped so simple queries stay simple. */
export function and(...filters: Array<Filter | undefined>): Filter {
  const parts = filters.filter((f): f is Filter => f !== undefined && Object.keys(f).length > 0);
  if (parts.length === 0) return {};
  if (parts.length === 1) return parts[0]!;
  return { $and: parts };
}

/** The filter for `type` with the caller's access fragment ANDed in. */
export function narrowed(narrow: Narrow | undefined, type: string, filter: Filter): Filter {
  return and(filter, narrow?.(type));
}
