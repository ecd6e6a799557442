import type { Bundle, BundleEntry } from 'fhir/r4';
import { randomUUID } from 'node:crypto';
import { bundle } from '../fhir/bundle.js';
import { badRequest } from '../fhir/errors.js';
import { forEntry } from '../bundle/entry-error.js';
import { entryOperation, isWrite } from '../bundle/entry-operation.js';
import { fullUrlMap, settleReferences } from '../bundle/entry-references.js';
import type { ResponseOptions } from '../bundle/entry-response.js';
import { assertProvideDocumentBundle } from '../bundle/mhd.js';
import { keyOf, planEntry, type PlannedEntry } from '../bundle/plan-entry.js';
import { processingOrder } from '../bundle/processing-order.js';
import type { RequestBundle } from '../bundle/read-bundle.js';
import { runEntry } from '../bundle/run-entry.js';
import type { RequestContext } from './context.js';
import { inUnitOfWork } from './write-version.js';

export interface TransactionOptions extends ResponseOptions {
  /** An IHE MHD ITI-65 Provide Document Bundle: its SubmissionSet is checked against its documents. */
  mhd?: boolean;
}

/**
 * `POST [base]` with a `transaction` Bundle (https://hl7.org/fhir/R4/http.html#transaction):
 * all entries or none. In three steps, all inside one unit of work:
 * 1. plan: every entry's target (fresh ids for creates, conditional criteria searched, current
 *    versions read), all entries at the same time;
 * 2. references: fullUrls rewritten to those targets wherever they appear, conditional references
 *    resolved (D11), so an entry may refer to any other whatever their order;
 * 3. run: deletes, creates, updates and patches, then reads, each through the interaction a single
 *    request would run (access rules and validation per entry), the writes staged.
 * The unit then commits every write with the request's one AuditEvent (D25). The first entry to
 * fail (in processing order) fails the transaction with its status and OperationOutcome; nothing
 * is stored. Reads and searches see the store as it was before the transaction: its writes land
 * only at the commit.
 */
export async function transaction(ctx: RequestContext, request: RequestBundle, options: TransactionOptions): Promise<Bundle> {
  const inputs = processingOrder(request.entries);
  const operations = await inOrder(inputs.map((input) => forEntry(input, () => entryOperation(input, ctx.baseUrl))));
  return inUnitOfWork(ctx, async (unit) => {
    // deletes first, so that criteria of the other entries no longer find what the transaction deletes
    const plan = (i: number, deleted?: ReadonlySet<string>) => forEntry(inputs[i]!, () => planEntry(unit, inputs[i]!, operations[i]!, deleted));
    const indices = inputs.map((_, i) => i);
    const isDelete = (i: number) => operations[i]!.kind === 'delete';
    const deletes = await inOrder(indices.filter(isDelete).map((i) => plan(i)));
    const deleted = new Set(deletes.flatMap((d) => (d.target ? [keyOf(d.target)] : [])));
    const planned = [...deletes, ...(await inOrder(indices.filter((i) => !isDelete(i)).map((i) => plan(i, deleted))))];
    assertDistinctTargets(planned);
    await settleReferences(unit, planned, fullUrlMap(planned), 'transaction');
    const responses: BundleEntry[] = new Array(request.entries.length);
    for (const entry of planned) responses[entry.input.index] = await forEntry(entry.input, () => runEntry(unit, entry, options));
    // after the entries: an access refusal or an invalid resource answers first (D10)
    if (options.mhd) assertProvideDocumentBundle(planned);
    return bundle('transaction-response', responses, { id: randomUUID(), meta: { lastUpdated: ctx.services.clock().toISOString() } });
  });
}

/** Waits for all; the first rejection in the given order wins, not the first to happen. */
async function inOrder<T>(steps: Array<Promise<T>>): Promise<T[]> {
  const settled = await Promise.allSettled(steps);
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

/** Two entries may not write the same resource (R4: overlapping identities fail the transaction). */
function assertDistinctTargets(planned: readonly PlannedEntry[]): void {
  const seen = new Map<string, number>();
  for (const { input, op, target } of planned) {
    if (!target || !isWrite(op)) continue;
    const key = keyOf(target);
    const first = seen.get(key);
    if (first !== undefined) {
      throw badRequest('DUPLICATE_TARGET', `Bundle.entry[${input.index}] and Bundle.entry[${first}] both write ${key}; a transaction writes each resource once`);
    }
    seen.set(key, input.index);
  }
}
