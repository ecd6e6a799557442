import { extractAccessFacts } from '../access/facts.js';
import type { AccessRules } from '../access/rules.js';
import { extractIndex } from '../search/index-values.js';
import type { AccessFacts, IndexValues, RowRewrite, StoredRow } from '../store/store.js';
import { sameJson } from './same-json.js';

/**
 * The `idx` and `sec` every version of one resource would get if it were written today, as the
 * write path computes them (write-row.ts, the access guard): `idx` from the resource, `sec` from the
 * resource with the version's own stored `sec` as `previous`, so `deposited` and `creator` carry
 * over. A tombstone has no resource: like `buildTombstone`, it gets no index values and the facts
 * of the version it deleted. A row whose resource is of another type than the row (the notification
 * outbox carries a Communication, with delivery state in `sec`) is no resource of its own: left as is.
 */

export interface Recomputed {
  /** Versions recomputed (a row carrying another type's resource is not one). */
  versions: number;
  /** Only the versions whose `idx` or `sec` differ from what is stored. */
  rewrites: RowRewrite[];
}

/** `versions`: every version of one resource, in any order. */
export function recomputeVersions(versions: StoredRow[], rules: AccessRules): Recomputed {
  const ascending = [...versions].sort((a, b) => a.versionId - b.versionId);
  const rewrites: RowRewrite[] = [];
  let lastLive: AccessFacts | undefined;
  let recomputed = 0;
  for (const version of ascending) {
    if (version.resource && version.resource.resourceType !== version.type) continue;
    const { idx, sec } = recomputeOne(version, lastLive, rules);
    recomputed++;
    if (version.resource) lastLive = sec;
    if (!sameJson(idx, version.idx) || !sameJson(sec, version.sec)) {
      rewrites.push({ type: version.type, id: version.id, versionId: version.versionId, idx, sec });
    }
  }
  return { versions: recomputed, rewrites };
}

function recomputeOne(version: StoredRow, lastLive: AccessFacts | undefined, rules: AccessRules): { idx: IndexValues; sec: AccessFacts } {
  if (!version.resource) return { idx: {}, sec: lastLive ?? version.sec };
  try {
    return {
      idx: extractIndex(version.resource),
      sec: extractAccessFacts(version.resource, { previous: version.sec, rules }),
    };
  } catch (error) {
    throw new Error(`reindex: cannot recompute ${version.type}/${version.id} version ${version.versionId}`, { cause: error });
  }
}
