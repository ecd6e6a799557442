import type { Resource } from 'fhir/r4';
import { extractAccessFacts } from '../access/facts.js';
import { isClinical } from '../access/kinds.js';
import { withInsurerAuthor } from '../lifecycle/insurer.js';
import { withReplacement } from '../lifecycle/replacement.js';
import { badRequest, conflict } from '../fhir/errors.js';
import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { checkConformance } from './conformance.js';
import { assertId } from './read.js';
import { assertClientWritable, authorizeAndValidate, type ResourceBody } from './resource-body.js';
import { buildRow, newId } from './write-row.js';
import { writeVersion, type WriteResult } from './write-version.js';

/**
 * `PUT [type]/[id]`: the next version of a resource, or its creation under the client's id
 * (update-as-create, 201). The body's id must equal the URL's (400 otherwise).
 */
export async function update(ctx: RequestContext, type: string, id: string, body: ResourceBody, ifMatch?: number): Promise<WriteResult> {
  assertClientWritable(type);
  assertId(id);
  const { resource } = body;
  if (resource.id === undefined) throw badRequest('ID_MISSING', `the body must carry id "${id}" to update ${type}/${id}`, ['id']);
  if (resource.id !== id) throw badRequest('ID_MISMATCH', `the body's id "${resource.id}" differs from the URL's "${id}"`, ['id']);
  // An update that creates the resource is a deposit: R8.3 replacement and D17 apply as on create.
  const existing = await ctx.services.store.read(type, id);
  const creates = !existing || existing.deleted;
  const write = (unit: RequestContext) => writeVersion(
    unit,
    type,
    id,
    async (current, versionId, at) => {
      const live = current && !current.deleted ? current : undefined;
      // Clinical data the caller cannot see is not known to them (404), whatever the write (D10, R5.5).
      if (live && isClinical(type)) await ctx.guard?.readRow(live, 'read');
      const toStore = await authorizeAndValidate(
        ctx,
        { interaction: live ? 'update' : 'create', type, resource, ...(live ? { current: live } : {}) },
        body.parsed,
      );
      const stored = await withInsurerAuthor(ctx, type, toStore!);
      await checkConformance(ctx, id, stored, live);
      return buildRow(stored, id, versionId, at, (stamped) => ctx.guard?.facts(stamped, live?.sec) ?? extractAccessFacts(stamped, { ...(live ? { previous: live.sec } : {}) }));
    },
    ifMatch,
  );
  return creates ? withReplacement(ctx, resource, write) : write(ctx);
}

/**
 * `PUT [type]?criteria`: updates the one match the caller can see, creates when there is none
 * (under the body's id if it has one), 412 when several match.
 */
export async function conditionalUpdate(ctx: RequestContext, type: string, query: string, body: ResourceBody, ifMatch?: number): Promise<WriteResult> {
  assertClientWritable(type);
  const id = await conditionalUpdateTarget(ctx, type, query, body.resource);
  return update(ctx, type, id, { ...body, resource: { ...body.resource, id } }, ifMatch);
}

/**
 * The id a conditional update writes: the one match, else the body's id (unless a resource that
 * does not match already has it), else a new one. A transaction asks it before writing anything, to
 * rewrite the references to the entry (D11).
 */
export async function conditionalUpdateTarget(ctx: RequestContext, type: string, query: string, resource: Resource): Promise<string> {
  const match = await conditionalMatch(ctx, type, query, 'conditional update');
  if (match) {
    if (resource.id !== undefined && resource.id !== match.id) {
      throw badRequest('ID_MISMATCH', `the body's id "${resource.id}" differs from the matching ${type}/${match.id}`, ['id']);
    }
    return match.id;
  }
  if (resource.id !== undefined) {
    const existing = await ctx.services.store.read(type, resource.id);
    if (existing && !existing.deleted) {
      throw conflict('ID_EXISTS', `${type}/${resource.id} exists but does not match the criteria`);
    }
  }
  return resource.id ?? newId();
}
