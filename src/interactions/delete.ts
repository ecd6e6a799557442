import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { notFound } from '../fhir/errors.js';
import { readCurrent } from './read.js';
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
  const current = await readCurrent(ctx, type, id, 'read');
  if (current.deleted) return {};
  const { row } = await writeVersion(
    ctx,
    type,
    id,
    async (live, versionId, at) => {
      if (!live || live.deleted) throw notFound('RESOURCE_NOT_FOUND', `${type}/${id} is not known`);
      await ctx.guard?.write({ interaction: 'delete', type, current: live });
      return buildTombstone(type, id, versionId, at, live.sec);
    },
    ifMatch,
  );
  return { versionId: row.versionId };
}

/** `DELETE [type]?criteria`: deletes the one match; nothing to do when none; 412 when several. */
export async function conditionalDelete(ctx: RequestContext, type: string, query: string): Promise<DeleteResult> {
  assertClientWritable(type);
  const match = await conditionalMatch(ctx, type, query, 'conditional delete');
  return match ? remove(ctx, type, match.id) : {};
}
