import type { DocumentReference, Resource } from 'fhir/r4';
import { extractAccessFacts, type SecFacts } from '../access/facts.js';
import { idOf } from '../access/fhir-values.js';
import { unprocessable } from '../fhir/errors.js';
import type { RequestContext } from '../interactions/context.js';
import { authorizeAndValidate } from '../interactions/resource-body.js';
import { buildRow } from '../interactions/write-row.js';
import { inUnitOfWork, writeVersion, type WriteResult } from '../interactions/write-version.js';

/**
 * R8.3, document replacement: a DocumentReference written with `relatesTo[{ code: 'replaces',
 * target: DocumentReference/X }]` makes X `superseded` in the same commit as itself, or neither is
 * written. Superseded documents then leave default searches (search/dmp-defaults.ts) and stay
 * readable by id.
 *
 * Design: the interaction that creates the new document hands its write to `withReplacement`,
 * which runs it and the supersede writes in one unit of work (or in the caller's unit, inside a
 * transaction Bundle). A request that replaces nothing takes the ordinary single-write path.
 *
 * Checks on each replaced document X, in this order, after the new document was authorised and
 * validated:
 * - X must exist, be live and belong to the same holder (422 REPLACED_NOT_FOUND: a document of
 *   another holder is "not a document of this patient", telling nothing about it);
 * - the caller must be allowed to change X: the access rules' write check on X as an update
 *   (its author or a PS of the author's structure, R8.3; the holder for their own personal space;
 *   the feed for reimbursement data; 403, or 404 for a document hidden from the caller, as a direct
 *   update would answer; before the next check so that a hidden X's status never shows, R5.5);
 * - X must still be `current`: replacing a superseded (or entered-in-error) document is 422
 *   DOCUMENT_NOT_CURRENT. Chose 422 rather than 409 because 409 means DMP state here (D10) and the
 *   client fixes it by replacing the newest version instead. Two requests replacing the same X at
 *   once both stage X at the version they read; the second commit conflicts (409 VERSION_CONFLICT)
 *   and writes nothing, so a document is never replaced twice.
 * Only `status` changes on X: whatever the rules would complete on a real update (author, delegate
 * tag) is not written into someone else's document.
 */

const TYPE = 'DocumentReference';

/** The ids a DocumentReference replaces; 422 when a `replaces` target names no DocumentReference of this server. */
export function replacedIds(resource: Resource): string[] {
  if (resource.resourceType !== TYPE) return [];
  const ids: string[] = [];
  for (const relation of (resource as DocumentReference).relatesTo ?? []) {
    if (relation.code !== 'replaces') continue;
    const id = idOf(TYPE, relation.target);
    if (!id) {
      throw unprocessable(
        'REPLACED_NOT_FOUND',
        'relatesTo with code "replaces" must name the replaced document as DocumentReference/<id>',
        ['DocumentReference.relatesTo.target'],
        'R8.3',
      );
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Marks one replaced document superseded, as part of the current unit of work. */
async function supersede(ctx: RequestContext, holder: string | undefined, id: string): Promise<void> {
  await writeVersion(ctx, TYPE, id, async (current, versionId, at) => {
    const facts = current?.sec as SecFacts | undefined;
    if (!current?.resource || current.deleted || !holder || facts?.patient !== holder) {
      throw unprocessable('REPLACED_NOT_FOUND', `DocumentReference/${id} (relatesTo replaces) is not a document of this patient`, ['DocumentReference.relatesTo'], 'R8.3');
    }
    const document = current.resource as DocumentReference;
    const superseded: DocumentReference = { ...document, status: 'superseded' };
    // the same rules as a PUT of X by this caller (a hidden X stays "not known"); what they would
    // add to X is not stored
    await authorizeAndValidate(ctx, { interaction: 'update', type: TYPE, resource: superseded, current }, superseded);
    if (document.status !== 'current') {
      throw unprocessable(
        'DOCUMENT_NOT_CURRENT',
        `DocumentReference/${id} is ${document.status} and cannot be replaced: replace the document that replaced it`,
        ['DocumentReference.relatesTo'],
        'R8.3',
      );
    }
    return buildRow(superseded, id, versionId, at, (stamped) => ctx.guard?.facts(stamped, current.sec) ?? extractAccessFacts(stamped, { previous: current.sec }));
  });
}

/**
 * Runs `write` (the creation of `resource`) and, when it replaces documents, supersedes them in the
 * same commit. `write` receives the context to write with (the unit of work's when there is one).
 */
export async function withReplacement(
  ctx: RequestContext,
  resource: Resource,
  write: (ctx: RequestContext) => Promise<WriteResult>,
): Promise<WriteResult> {
  if (!replacesSomething(resource)) return write(ctx);
  const run = async (unit: RequestContext) => {
    // the new document's own refusals (403, 409, …) come first (D10)
    const result = await write(unit);
    const holder = (result.row.sec as SecFacts).patient;
    for (const id of replacedIds(result.row.resource ?? resource)) {
      if (id === result.row.id) continue; // a document does not replace itself
      await supersede(unit, typeof holder === 'string' ? holder : undefined, id);
    }
    return result;
  };
  return ctx.unitOfWork ? run(ctx) : inUnitOfWork(ctx, run);
}

function replacesSomething(resource: Resource): boolean {
  return resource.resourceType === TYPE && ((resource as DocumentReference).relatesTo ?? []).some((r) => r.code === 'replaces');
}
