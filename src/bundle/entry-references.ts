import type { Resource } from 'fhir/r4';
import { badRequest } from '../fhir/errors.js';
import type { RequestContext } from '../interactions/context.js';
import { applyResolutions, resolveConditionalReferences } from './conditional-references.js';
import { forEntry } from './entry-error.js';
import { keyOf, type PlannedEntry } from './plan-entry.js';
import { scanReferences, type ReferenceSlot } from './references.js';

/**
 * The references of the resources a Bundle writes, settled before the first write: fullUrls of
 * other entries replaced by `Type/id` (D11), conditional references resolved, and a placeholder
 * (`urn:uuid:`) naming no entry refused, since it could never be resolved once stored.
 */

/** `fullUrl` → `Type/id` of every entry that writes or matches a resource. */
export function fullUrlMap(planned: readonly PlannedEntry[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { input, target, existing } of planned) {
    const identity = target ?? existing;
    if (input.fullUrl && identity) map.set(input.fullUrl, keyOf(identity));
  }
  return map;
}

/** The resource an entry stores, when it stores one (a matched conditional create stores nothing). */
function written(planned: PlannedEntry): Resource | undefined {
  const { op, existing } = planned;
  if (existing) return undefined;
  return op.kind === 'create' || op.kind === 'update' || op.kind === 'conditional-update' ? op.body.resource : undefined;
}

/**
 * Rewrites the references of the given entries (in place: the resources are this request's own
 * parsed body) and resolves their conditional references, all distinct ones at once. A failure is
 * thrown for the first failing entry in the order given, labelled with that entry.
 */
export async function settleReferences(
  ctx: RequestContext,
  planned: readonly PlannedEntry[],
  fullUrls: ReadonlyMap<string, string>,
  mode: 'transaction' | 'batch',
): Promise<void> {
  const conditional: Array<{ entry: PlannedEntry; slots: ReferenceSlot[] }> = [];
  for (const entry of planned) {
    const resource = written(entry);
    if (!resource) continue;
    const scan = scanReferences(resource as unknown as Record<string, unknown>, fullUrls);
    const placeholder = scan.unresolved[0];
    if (placeholder !== undefined) {
      const why = mode === 'batch'
        ? 'the entries of a batch are independent and cannot refer to each other; send a transaction'
        : 'it is the fullUrl of no entry of this Bundle';
      await forEntry(entry.input, () => {
        throw badRequest('UNRESOLVED_PLACEHOLDER', `the reference "${placeholder}" cannot be resolved: ${why}`);
      });
    }
    if (scan.conditional.length) conditional.push({ entry, slots: scan.conditional });
  }
  if (!conditional.length) return;
  const resolutions = await resolveConditionalReferences(ctx, conditional.flatMap(({ slots }) => slots.map((s) => s.value)));
  for (const { entry, slots } of conditional) await forEntry(entry.input, () => applyResolutions(slots, resolutions));
}
