import { badRequest, gone, notFound } from '../fhir/errors.js';
import type { StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { holdersOfRow } from '../access/read-access.js';
import { isValidId } from './write-row.js';

export function assertId(id: string): void {
  if (!isValidId(id)) throw badRequest('INVALID_ID', `"${id}" is not a valid FHIR id ([A-Za-z0-9-.]{1,64})`);
}

/**
 * The current row (tombstone included) once the caller may see it: 404 when it never existed or is
 * hidden from the caller (the same answer, R5.5).
 */
export async function readCurrent(ctx: RequestContext, type: string, id: string, interaction: 'read' | 'vread' | 'history'): Promise<StoredRow> {
  assertId(id);
  const row = await ctx.services.store.read(type, id);
  if (!row) throw notFound('RESOURCE_NOT_FOUND', `${type}/${id} is not known`);
  try {
    await ctx.guard?.readRow(row, interaction);
  } catch (err) {
    // The refusal is traced against the holder (R10.1) without the version read.
    for (const holder of holdersOfRow(row)) ctx.audit?.patient(holder);
    ctx.audit?.entity(type, id);
    throw err;
  }
  ctx.audit?.row(row);
  return row;
}

/** The current version of a resource: 404 when it never existed or is hidden, 410 when deleted. */
export async function read(ctx: RequestContext, type: string, id: string): Promise<StoredRow> {
  assertId(id);
  const row = await readCurrent(ctx, type, id, 'read');
  if (row.deleted) throw gone(`${type}/${id} was deleted`);
  return row;
}
