import type { AuditOutcome } from '../audit/codes.js';
import { conflict, preconditionFailed } from '../fhir/errors.js';
import { VersionConflictError, type StoredRow } from '../store/store.js';
import type { RequestContext } from './context.js';
import { createUnitOfWork, stage, type UnitOfWork } from './unit-of-work.js';

export interface WriteResult {
  row: StoredRow;
  /** True when this write brought the resource into existence (201). */
  created: boolean;
}

/** Builds the next version from the current one (undefined when the resource does not exist). */
export type NextVersion = (current: StoredRow | undefined, versionId: number, at: Date) => StoredRow | Promise<StoredRow>;

const RETRIES = 5;

/**
 * Writes the next version of one resource with optimistic concurrency: the commit succeeds only if
 * the current version is still the one the new version was built from. With `If-Match` a lost race
 * is the client's 412; without it the write is rebuilt on the newer version (last writer wins).
 */
export async function writeVersion(
  ctx: RequestContext,
  type: string,
  id: string,
  next: NextVersion,
  ifMatch?: number,
): Promise<WriteResult> {
  const { store, clock } = ctx.services;
  if (ctx.unitOfWork) return stageVersion(ctx, ctx.unitOfWork, type, id, next, ifMatch);
  for (let attempt = 0; attempt < RETRIES; attempt++) {
    const current = await store.read(type, id);
    if (ifMatch !== undefined && current?.versionId !== ifMatch) {
      throw preconditionFailed(
        'VERSION_MISMATCH',
        current ? `If-Match names version ${ifMatch} but ${type}/${id} is at version ${current.versionId}` : `${type}/${id} does not exist`,
      );
    }
    const expectedVersion = current?.versionId ?? 0;
    const row = await next(current, expectedVersion + 1, clock());
    try {
      if (ctx.audit) {
        // The trace (and any notification) lands in the same commit as the data, or neither does.
        ctx.audit.wrote(row, current);
        await ctx.audit.commitWith([{ row, expectedVersion }]);
      } else {
        await store.commit([{ row, expectedVersion }]);
      }
      return { row, created: !current || current.deleted };
    } catch (err) {
      if (!(err instanceof VersionConflictError)) throw err;
      if (ifMatch !== undefined) {
        throw preconditionFailed('VERSION_MISMATCH', `${type}/${id} was changed by another request (version ${err.actual})`);
      }
    }
  }
  throw conflict('CONCURRENT_UPDATE', `${type}/${id} is being changed by other requests; try again`);
}

/** Inside a unit of work: the version is staged, and committed later with the whole unit. */
async function stageVersion(ctx: RequestContext, unit: UnitOfWork, type: string, id: string, next: NextVersion, ifMatch?: number): Promise<WriteResult> {
  const key = `${type}/${id}`;
  const current = unit.pending.get(key) ?? (unit.known.has(key) ? unit.known.get(key) : await ctx.services.store.read(type, id));
  if (ifMatch !== undefined && current?.versionId !== ifMatch) {
    throw preconditionFailed('VERSION_MISMATCH', `If-Match names version ${ifMatch} but ${type}/${id} is at version ${current?.versionId ?? 'none'}`);
  }
  const row = await next(current, (current?.versionId ?? 0) + 1, ctx.services.clock());
  stage(unit, row, current?.versionId ?? 0);
  ctx.audit?.wrote(row, current);
  return { row, created: !current || current.deleted };
}

/**
 * Runs writes in a unit of work and commits them at once with the request's trace (its outcome
 * `options.outcome` of the result, success by default). A version conflict at commit fails the
 * whole unit: nothing is written.
 */
export async function inUnitOfWork<T>(
  ctx: RequestContext,
  work: (ctx: RequestContext) => Promise<T>,
  options: { outcome?: (result: T) => AuditOutcome } = {},
): Promise<T> {
  const unit = createUnitOfWork();
  const result = await work({ ...ctx, unitOfWork: unit });
  try {
    // a batch with refused entries commits its successful ones under a "4" trace
    if (ctx.audit) await ctx.audit.commitWith(unit.writes, options.outcome?.(result));
    else if (unit.writes.length) await ctx.services.store.commit(unit.writes);
  } catch (err) {
    if (err instanceof VersionConflictError) throw conflict('VERSION_CONFLICT', `${err.type}/${err.id} was changed by another request; nothing was written`);
    throw err;
  }
  return result;
}
