import { RESOURCE_TYPES } from '../fhir/registry.js';

/**
 * Types the server writes on its own, never served as a REST type: R10.2 notifications. Their rows
 * carry access facts too (`sec.patient`), so a reindex covers them; a store without any is skipped
 * at the cost of one empty page. The notification outbox (audit/outbox.ts) is left out on purpose:
 * its `sec` is delivery state, not access facts, and its resource is a copy of a Communication
 * (recompute-versions.ts would skip such rows anyway).
 */
export const INTERNAL_TYPES: readonly string[] = ['Communication'];

/** Every type a reindex walks: the registry's, then the internal ones. */
export function reindexTypes(): string[] {
  return [...RESOURCE_TYPES, ...INTERNAL_TYPES];
}
