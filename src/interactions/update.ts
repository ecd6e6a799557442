import type { Resource } from 'fhir/r4';
import { badRequest, conflict } from '../fhir/errors.js';
import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { assertId } from './read.js';
import { assertClientWritable } from './resource-body.js';
import { buildRow, newId } from './write-row.js';
import { writeVersion, type WriteResult } from './write-version.js';

/**
 * `PUT [type]/[id]`: the next version of a resource, or its creation under the client's id
 * (update-as-create, 201). The body's id must equal the URL's (400 otherwise).
 */
export async function update(
  ctx: RequestContext,
  type: string,
  id: string,
  resource: Resource,
  ifMatch?: number,
): Promise<WriteResult> {
  assertClientWritable(type);
  assertId(id);
  if (resource.id === undefined) throw badRequest('ID_MISSING', `the body must carry id "${id}" to update ${type}/${id}`, ['id']);
  if (resource.id !== id) throw badRequest('ID_MISMATCH', `the body's id "${resource.id}" differs from the URL's "${id}"`, ['id']);
  return writeVersion(ctx, type, id, (_current, versionId, at) => buildRow(resource, id, versionId, at), ifMatch);
}

/**
 * `PUT [type]?criteria`: updates the one match, creates when there is none (under the body's id if
 * it has one), 412 when several match.
 */
export async function conditionalUpdate(
  ctx: RequestContext,
  type: string,
  query: string,
  resource: Resource,
  ifMatch?: number,
): Promise<WriteResult> {
  assertClientWritable(type);
  const match = await conditionalMatch(ctx, type, query, 'conditional update');
  if (match) {
    if (resource.id !== undefined && resource.id !== match.id) {
      throw badRequest('ID_MISMATCH', `the body's id "${resource.id}" differs from the matching ${type}/${match.id}`, ['id']);
    }
    return update(ctx, type, match.id, { ...resource, id: match.id }, ifMatch);
  }
  if (resource.id !== undefined) {
    const existing = await ctx.services.store.read(type, resource.id);
    if (existing && !existing.deleted) {
      throw conflict('ID_EXISTS', `${type}/${resource.id} exists but does not match the criteria`);
    }
  }
  const id = resource.id ?? newId();
  return update(ctx, type, id, { ...resource, id }, ifMatch);
}
