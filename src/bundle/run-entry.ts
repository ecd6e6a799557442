import type { BundleEntry, Resource } from 'fhir/r4';
import { badRequest } from '../fhir/errors.js';
import { bundleRows } from '../http/bundle-rows.js';
import type { RequestContext } from '../interactions/context.js';
import { create } from '../interactions/create.js';
import { remove } from '../interactions/delete.js';
import { parsePatch, patch } from '../interactions/patch.js';
import { read } from '../interactions/read.js';
import { searchType } from '../interactions/search.js';
import { update } from '../interactions/update.js';
import { vread } from '../interactions/vread.js';
import { JSON_PATCH, mediaType } from '../http/media.js';
import { deleteResponse, readResponse, searchResponse, writeResponse, type ResponseOptions } from './entry-response.js';
import type { PlannedEntry } from './plan-entry.js';

/**
 * Runs one planned entry through the interaction a single request would run (create, update,
 * patch, delete, read, vread, search), so the access rules, validation and trace apply to it
 * exactly as they would alone. Inside a unit of work the writes are staged, not committed.
 */
export async function runEntry(ctx: RequestContext, planned: PlannedEntry, options: ResponseOptions): Promise<BundleEntry> {
  const { op, target, existing } = planned;
  const base = ctx.baseUrl;
  switch (op.kind) {
    case 'create': {
      if (existing) {
        ctx.audit?.row(existing);
        return writeResponse(base, existing, 200, options);
      }
      const { row } = await create(ctx, op.type, op.body, undefined, target!.id);
      return writeResponse(base, row, 201, options);
    }
    case 'update':
    case 'conditional-update': {
      const { row, created } = await update(ctx, op.type, target!.id, op.body, op.ifMatch);
      return writeResponse(base, row, created ? 201 : 200, options);
    }
    case 'patch': {
      const { row } = await patch(ctx, op.type, target!.id, parsePatch(patchDocument(op.patch)), op.ifMatch);
      return writeResponse(base, row, 200, options);
    }
    case 'delete': {
      if (!target) return deleteResponse(undefined);
      const { versionId } = await remove(ctx, op.type, target.id, op.ifMatch);
      return deleteResponse(versionId);
    }
    case 'read':
      return readResponse(base, await read(ctx, op.type, op.id), op.head);
    case 'vread':
      return readResponse(base, await vread(ctx, op.type, op.id, op.vid), op.head);
    case 'search': {
      const narrow = await ctx.guard?.searchNarrow(op.type, op.pairs);
      const result = await searchType(ctx, op.type, op.pairs, { lenient: false, ...(narrow ? { narrow } : {}) });
      ctx.audit?.rows(bundleRows(result));
      return searchResponse(result, op.head);
    }
  }
}

/** In a Bundle a JSON Patch travels as a Binary (https://hl7.org/fhir/R4/http.html#patch). */
function patchDocument(resource: Resource): Buffer {
  const binary = resource as { resourceType?: string; contentType?: string; data?: string };
  if (binary.resourceType !== 'Binary' || mediaType(binary.contentType) !== JSON_PATCH || typeof binary.data !== 'string') {
    throw badRequest('INVALID_PATCH', `a PATCH entry carries a Binary of contentType ${JSON_PATCH} with the JSON Patch as base64 data (FHIRPath Patch is not supported)`);
  }
  return Buffer.from(binary.data, 'base64');
}
