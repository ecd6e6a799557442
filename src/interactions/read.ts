import { badRequest, gone, notFound } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { isValidId } from './write-row.js';

export function assertId(id: string): void {
  if (!isValidId(id)) throw badRequest('INVALID_ID', `"${id}" is not a valid FHIR id ([A-Za-z0-9-.]{1,64})`);
}

/** The current version of a resource: 404 when it never existed, 410 when deleted. */
export async function read(ctx: RequestContext, type: string, id: string): Promise<StoredRow> {
  assertId(id);
  const row = await ctx.services.store.read(type, id);
  if (!row) throw notFound('RESOURCE_NOT_FOUND', `${type}/${id} is not known`);
  if (row.deleted) throw gone(`${type}/${id} was deleted`);
  return row;
}
