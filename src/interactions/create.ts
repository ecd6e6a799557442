import { extractAccessFacts } from '../access/facts.js';
import { withInsurerAuthor } from '../lifecycle/insurer.js';
import { withReplacement } from '../lifecycle/replacement.js';
import type { RequestContext } from './context.js';
import { conditionalMatch } from './conditional.js';
import { checkConformance } from './conformance.js';
import { assertClientWritable, authorizeAndValidate, type ResourceBody } from './resource-body.js';
import { buildRow, newId } from './write-row.js';
import { writeVersion, type WriteResult } from './write-version.js';

/**
 * `POST [type]`: a new resource under a server-assigned id (a client id is ignored, as R4 says).
 * With `If-None-Exist`, an existing match the caller can see is returned instead (200) and nothing
 * is created. `id` is the server-assigned id, chosen earlier by a transaction that must rewrite the
 * references to this resource before it is written (D11); fresh otherwise.
 */
export async function create(ctx: RequestContext, type: string, body: ResourceBody, ifNoneExist?: string, id: string = newId()): Promise<WriteResult> {
  assertClientWritable(type);
  if (ifNoneExist !== undefined) {
    const existing = await conditionalMatch(ctx, type, ifNoneExist, 'If-None-Exist');
    if (existing) return { row: existing, created: false };
  }
  // R8.3: a document that replaces others supersedes them in the same commit (lifecycle/replacement.ts)
  return withReplacement(ctx, body.resource, (unit) => writeVersion(unit, type, id, async (_current, versionId, at) => {
    const authorized = await authorizeAndValidate(ctx, { interaction: 'create', type, resource: body.resource }, body.parsed);
    const resource = await withInsurerAuthor(ctx, type, authorized!); // D17: the insurer feed's author
    await checkConformance(ctx, id, resource);
    return buildRow(resource, id, versionId, at, (stamped) => ctx.guard?.facts(stamped) ?? extractAccessFacts(stamped));
  }));
}
