import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { notFound } from '../fhir/errors.js';
import { assertId } from './read.js';
import { assertClientWritable } from './resource-body.js';
import { buildTombstone } from './write-row.js';
import { writeVersion } from './write-version.js';

export interface DeleteResult {
  /** The tombstone's version, or undefined when there was nothing to delete. */
  versionId?: number;
}

/**
 * `DELETE [type]/[id]`: writes a tombstone version (a later read is 410). Deleting what is already
 * deleted changes nothing; deleting what never existed is 404.
 */
export async function remove(ctx: RequestContext, type: string, id: string, ifMatch?: number): Promise<DeleteResult> {
  assertClientWritable(type);
  assertId(id);
  const current = await ctx.services.store.read(type, id);
  if (!current) throw notFound('RESOURCE_NOT_FOUND', `${type}/${id} is not known`);
  if (current.deleted) return {};
  const { row } = await writeVersion(ctx, type, id, (_c, versionId, at) => buildTombstone(type, id, versionId, at), ifMatch);
  return { versionId: row.versionId };
}

/** `DELETE [type]?criteria`: deletes the one match; nothing to do when none; 412 when several. */
export async function conditionalDelete(ctx: RequestContext, type: string, query: string): Promise<DeleteResult> {
  assertClientWritable(type);
  const match = await conditionalMatch(ctx, type, query, 'conditional delete');
  return match ? remove(ctx, type, match.id) : {};
}
