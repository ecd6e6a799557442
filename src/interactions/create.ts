import { extractAccessFacts } from '../access/facts.js';
import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { assertClientWritable, authorizeAndValidate, type ResourceBody } from './resource-body.js';
import { buildRow, newId } from './write-row.js';
import { writeVersion, type WriteResult } from './write-version.js';

/**
 * `POST [type]`: a new resource under a server-assigned id (a client id is ignored, as R4 says).
 * With `If-None-Exist`, an existing match the caller can see is returned instead (200) and nothing
 * is created.
 */
export async function create(ctx: RequestContext, type: string, body: ResourceBody, ifNoneExist?: string): Promise<WriteResult> {
  assertClientWritable(type);
  if (ifNoneExist !== undefined) {
    const existing = await conditionalMatch(ctx, type, ifNoneExist, 'If-None-Exist');
    if (existing) return { row: existing, created: false };
  }
  const id = newId();
  return writeVersion(ctx, type, id, async (_current, versionId, at) => {
    const resource = await authorizeAndValidate(ctx, { interaction: 'create', type, resource: body.resource }, body.parsed);
    return buildRow(resource!, id, versionId, at, (stamped) => ctx.guard?.facts(stamped) ?? extractAccessFacts(stamped));
  });
}
