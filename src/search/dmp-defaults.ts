import type { Filter } from '../store/store.js';
import type { SearchRequest } from './types.js';

/**
 * DMP-RULES R7.3 and R8.3: a DocumentReference search leaves archived and superseded documents out,
 * unless the query names `isArchived` or `status` itself. Not part of `compileSearch`, because
 * conditional create/update/delete and `$everything` (D14) must see every document: the search
 * interaction ANDs this fragment in.
 */
export function defaultSearchFilter(req: SearchRequest): Filter | undefined {
  if (req.type !== 'DocumentReference') return undefined;
  const named = req.criteria.some((c) => !c.has && (!c.chain || c.chain.length < 2) && (c.code === 'isArchived' || c.code === 'status'));
  if (named) return undefined;
  return { $nor: [{ 'idx.isArchived': { $in: ['true'] } }, { 'idx.status': { $in: ['superseded'] } }] };
}
