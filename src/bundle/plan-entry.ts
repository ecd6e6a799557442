import { notFound } from '../fhir/errors.js';
import { conditionalMatch } from '../interactions/conditional.js';
import type { RequestContext } from '../interactions/context.js';
import { assertId } from '../interactions/read.js';
import { conditionalUpdateTarget } from '../interactions/update.js';
import { newId } from '../interactions/write-row.js';
import type { StoredRow } from '../store/store.js';
import type { EntryOperation } from './entry-operation.js';
import type { EntryInput } from './read-bundle.js';

/**
 * One entry once its target is known, before anything is written: the id a create will get (so
 * that references to its fullUrl can be rewritten first, D11), the resource a conditional update,
 * patch or delete acts on, or the existing match of a conditional create.
 */
export interface PlannedEntry {
  input: EntryInput;
  op: EntryOperation;
  /** The resource this entry writes; absent for reads, matched conditional creates, and conditional deletes matching nothing. */
  target?: { type: string; id: string };
  /** The match of a conditional create (`ifNoneExist`): returned, nothing written. */
  existing?: StoredRow;
}

export const keyOf = (target: { type: string; id: string }) => `${target.type}/${target.id}`;

/**
 * Resolves an entry's target. Conditional criteria are searched as the caller may see (the same
 * `conditionalMatch` as single requests), `deleted` naming what the transaction deletes before; the current version of an existing target is read now,
 * all entries at the same time, and handed to the unit of work so no write reads it again.
 */
export async function planEntry(ctx: RequestContext, input: EntryInput, op: EntryOperation, deleted?: ReadonlySet<string>): Promise<PlannedEntry> {
  const planned: PlannedEntry = { input, op };
  const known = ctx.unitOfWork?.known;
  switch (op.kind) {
    case 'create': {
      const existing = op.ifNoneExist !== undefined ? await conditionalMatch(ctx, op.type, op.ifNoneExist, 'ifNoneExist') : undefined;
      // a match the same transaction deletes first is no longer there when the create runs
      if (existing && !deleted?.has(keyOf(existing))) return { ...planned, existing };
      const target = { type: op.type, id: newId() };
      known?.set(keyOf(target), undefined);
      return { ...planned, target };
    }
    case 'conditional-update': {
      const id = await conditionalUpdateTarget(ctx, op.type, op.query, op.body.resource);
      // the body is the entry's parsed resource: validated and stored with the id it is written under
      op.body.resource.id = id;
      return readAhead(ctx, { ...planned, target: { type: op.type, id } });
    }
    case 'update':
      assertId(op.id);
      return readAhead(ctx, { ...planned, target: { type: op.type, id: op.id } });
    case 'patch':
    case 'delete': {
      if (op.id !== undefined) {
        assertId(op.id);
        return readAhead(ctx, { ...planned, target: { type: op.type, id: op.id } });
      }
      const match = await conditionalMatch(ctx, op.type, op.query!, `conditional ${op.kind}`);
      if (!match) {
        if (op.kind === 'delete') return planned;
        throw notFound('RESOURCE_NOT_FOUND', `no ${op.type} matches ${op.query}`);
      }
      known?.set(`${match.type}/${match.id}`, match);
      return { ...planned, target: { type: op.type, id: match.id } };
    }
    default:
      return planned;
  }
}

async function readAhead(ctx: RequestContext, planned: PlannedEntry): Promise<PlannedEntry> {
  const known = ctx.unitOfWork?.known;
  const target = planned.target!;
  if (known && !known.has(keyOf(target))) known.set(keyOf(target), await ctx.services.store.read(target.type, target.id));
  return planned;
}
