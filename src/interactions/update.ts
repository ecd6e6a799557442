import { extractAccessFacts } from '../access/facts.js';
import { badRequest, conflict } from '../fhir/errors.js';
import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
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
  return writeVersion(
    ctx,
    type,
    id,
    async (current, versionId, at) => {
      const live = current && !current.deleted ? current : undefined;
      const toStore = await authorizeAndValidate(
        ctx,
        { interaction: live ? 'update' : 'create', type, resource, ...(live ? { current: live } : {}) },
        body.parsed,
      );
      return buildRow(toStore!, id, versionId, at, (stamped) => ctx.guard?.facts(stamped, live?.sec) ?? extractAccessFacts(stamped, { ...(live ? { previous: live.sec } : {}) }));
    },
    ifMatch,
  );
}

/**
 * `PUT [type]?criteria`: updates the one match the caller can see, creates when there is none
 * (under the body's id if it has one), 412 when several match.
 */
export async function conditionalUpdate(ctx: RequestContext, type: string, query: string, body: ResourceBody, ifMatch?: number): Promise<WriteResult> {
  assertClientWritable(type);
  const { resource } = body;
  const match = await conditionalMatch(ctx, type, query, 'conditional update');
  if (match) {
    if (resource.id !== undefined && resource.id !== match.id) {
      throw badRequest('ID_MISMATCH', `the body's id "${resource.id}" differs from the matching ${type}/${match.id}`, ['id']);
    }
    return update(ctx, type, match.id, { ...body, resource: { ...resource, id: match.id } }, ifMatch);
  }
  if (resource.id !== undefined) {
    const existing = await ctx.services.store.read(type, resource.id);
    if (existing && !existing.deleted) {
      throw conflict('ID_EXISTS', `${type}/${resource.id} exists but does not match the criteria`);
    }
  }
  const id = resource.id ?? newId();
  return update(ctx, type, id, { ...body, resource: { ...resource, id } }, ifMatch);
}
