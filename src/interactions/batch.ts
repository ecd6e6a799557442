import type { Bundle, BundleEntry } from 'fhir/r4';
import { randomUUID } from 'node:crypto';
import { bundle } from '../fhir/bundle.js';
import { conflict, FhirError } from '../fhir/errors.js';
import { atEntry } from '../bundle/entry-error.js';
import { entryOperation, isWrite } from '../bundle/entry-operation.js';
import { settleReferences } from '../bundle/entry-references.js';
import { errorResponse, isFailure, type ResponseOptions } from '../bundle/entry-response.js';
import { keyOf, planEntry } from '../bundle/plan-entry.js';
import type { EntryInput, RequestBundle } from '../bundle/read-bundle.js';
import { runEntry } from '../bundle/run-entry.js';
import type { RequestContext } from './context.js';
import { savepoint } from './unit-of-work.js';
import { inUnitOfWork } from './write-version.js';

const NO_FULL_URLS: ReadonlyMap<string, string> = new Map();

/**
 * `POST [base]` with a `batch` Bundle: every entry on its own, answered in a `batch-response` with
 * its own status (and OperationOutcome when it failed); entries may not refer to each other.
 *
 * The entries that succeed commit together, in one unit of work with the request's one AuditEvent
 * (D25), rather than one commit per entry: the trace must land in the same commit as the data it
 * records ("no audit, no data"), and one request has one trace, so per-entry commits would leave
 * all but one write without its trace in the same commit. One commit is also one durable write for
 * the whole batch. A failed entry is rolled back out of the unit and leaves the others alone. The
 * price: a concurrent change of one resource detected at commit (409) fails the whole batch, which
 * the client retries. A batch with a failed entry is traced with outcome 4 (refused or invalid).
 */
export async function batch(ctx: RequestContext, request: RequestBundle, options: ResponseOptions): Promise<Bundle> {
  return inUnitOfWork(
    ctx,
    async (unit) => {
      const written = new Set<string>();
      const responses: BundleEntry[] = [];
      for (const input of request.entries) responses.push(await batchEntry(unit, input, written, options));
      return bundle('batch-response', responses, { id: randomUUID(), meta: { lastUpdated: ctx.services.clock().toISOString() } });
    },
    { outcome: (result) => ((result.entry ?? []).some(isFailure) ? '4' : '0') },
  );
}

async function batchEntry(ctx: RequestContext, input: EntryInput, written: Set<string>, options: ResponseOptions): Promise<BundleEntry> {
  const rollback = savepoint(ctx.unitOfWork!);
  try {
    const op = entryOperation(input, ctx.baseUrl);
    const planned = await planEntry(ctx, input, op);
    const key = planned.target && isWrite(op) ? keyOf(planned.target) : undefined;
    if (key && written.has(key)) throw conflict('DUPLICATE_TARGET', `an earlier entry of this batch writes ${key}; batch entries are independent`);
    await settleReferences(ctx, [planned], NO_FULL_URLS, 'batch');
    const response = await runEntry(ctx, planned, options);
    if (key) written.add(key);
    return response;
  } catch (error) {
    rollback();
    if (error instanceof FhirError) return errorResponse(atEntry(error, input));
    throw error;
  }
}
