import type { Resource } from 'fhir/r4';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { badRequest, unprocessable } from '../fhir/errors.js';
import type { RequestContext } from './context.js';
import { extractAccessFacts } from '../access/facts.js';
import { checkConformance } from './conformance.js';
import { read } from './read.js';
import { assertClientWritable, authorizeAndValidate } from './resource-body.js';
import { buildRow } from './write-row.js';
import { writeVersion, type WriteResult } from './write-version.js';

const { applyPatch, validate, JsonPatchError } = fastJsonPatch;

/** Parses a JSON Patch document (RFC 6902); a malformed one is the client's 400. */
export function parsePatch(body: Buffer | undefined): Operation[] {
  let ops: unknown;
  try {
    ops = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body ?? Buffer.alloc(0)));
  } catch {
    throw badRequest('INVALID_PATCH', 'the body is not a JSON Patch document (UTF-8 JSON array of operations)');
  }
  if (!Array.isArray(ops)) throw badRequest('INVALID_PATCH', 'a JSON Patch document is an array of operations');
  const error = validate(ops as Operation[]);
  if (error) throw badRequest('INVALID_PATCH', `operation ${error.index ?? '?'}: ${error.message.split('\n')[0]}`);
  return ops as Operation[];
}

/**
 * `PATCH [type]/[id]` with JSON Patch: applied to the current version, the result validated like any
 * write. A failing `test` operation is 422; changing `id` or `resourceType` is 400.
 */
export async function patch(
  ctx: RequestContext,
  type: string,
  id: string,
  ops: Operation[],
  ifMatch?: number,
): Promise<WriteResult> {
  assertClientWritable(type);
  await read(ctx, type, id);
  return writeVersion(
    ctx,
    type,
    id,
    async (current, versionId, at) => {
      if (!current?.resource || current.deleted) throw badRequest('GONE', `${type}/${id} was deleted`);
      const patched = applyOps(current.resource, ops);
      if (patched.resourceType !== type || patched.id !== id) {
        throw badRequest('PATCH_CHANGES_IDENTITY', 'a patch may not change resourceType or id');
      }
      const toStore = await authorizeAndValidate(ctx, { interaction: 'patch', type, resource: patched, current }, patched);
      await checkConformance(ctx, id, toStore!, current);
      return buildRow(toStore!, id, versionId, at, (stamped) => ctx.guard?.facts(stamped, current.sec) ?? extractAccessFacts(stamped, { previous: current.sec }));
    },
    ifMatch,
  );
}

function applyOps(resource: Resource, ops: Operation[]): Resource {
  try {
    return applyPatch(resource, structuredClone(ops), true, false, true).newDocument;
  } catch (err) {
    if (err instanceof JsonPatchError) {
      if (err.name === 'TEST_OPERATION_FAILED') throw unprocessable('PATCH_TEST_FAILED', `test operation ${err.index} failed`);
      throw unprocessable('PATCH_NOT_APPLICABLE', `operation ${err.index ?? '?'} cannot be applied: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
}
