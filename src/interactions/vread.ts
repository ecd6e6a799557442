import { badRequest, gone, notFound } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { readCurrent } from './read.js';

/** One version of a resource: 404 when that version does not exist, 410 when it is a deletion. */
export async function vread(ctx: RequestContext, type: string, id: string, vid: string): Promise<StoredRow> {
  await readCurrent(ctx, type, id, 'vread');
  if (!/^\d{1,15}$/.test(vid)) throw badRequest('INVALID_VERSION', `"${vid}" is not a version id`);
  const row = await ctx.services.store.readVersion(type, id, Number(vid));
  if (!row) throw notFound('VERSION_NOT_FOUND', `${type}/${id} has no version ${vid}`);
  if (row.deleted) throw gone(`version ${vid} of ${type}/${id} is a deletion`);
  return row;
}
