import type { Key } from 'lmdb';
import type { HistoryQuery, StoredRow } from './store.js';
import type { EmbeddedDbs } from './embedded-layout.js';
import { compareCodePoints } from './bson-order.js';
import { KEY_MAX } from './index-keys.js';

/**
 * History of the embedded store, read from the timelines (keys only) so that only the versions of
 * the requested page are decoded. Order: lastUpdated descending, versionId descending, then id
 * ascending (the same final tie-break as every sort of the store).
 */

interface VersionRef {
  id: string;
  lastUpdated: string;
  versionId: number;
}

export function historyRows(dbs: EmbeddedDbs, type: string, id: string | undefined, query: HistoryQuery): StoredRow[] {
  if (query.limit !== undefined && query.limit <= 0) return [];
  const skip = Math.max(0, Math.trunc(query.skip ?? 0));
  const end = query.limit !== undefined ? skip + Math.trunc(query.limit) : Infinity;
  const rows: StoredRow[] = [];
  let position = 0;
  for (const ref of newestFirst(dbs, type, id, query)) {
    if (position >= end) break;
    if (position++ < skip) continue;
    const row = dbs.versions.get([type, ref.id, ref.versionId]);
    if (row) rows.push(row);
  }
  return rows;
}

export function historyCount(dbs: EmbeddedDbs, type: string, id: string | undefined, query: HistoryQuery): number {
  const prefix = id === undefined ? [type] : [type, id];
  return dbs[id === undefined ? 'typeTimeline' : 'resourceTimeline'].getKeysCount({
    start: query.since === undefined ? prefix : [...prefix, query.since],
    end: [...prefix, query.before ?? KEY_MAX],
  });
}

/** Newest first; `since` inclusive, `before` exclusive, both compared as ISO text. */
function* newestFirst(dbs: EmbeddedDbs, type: string, id: string | undefined, query: HistoryQuery): Generator<VersionRef> {
  const prefix: Key[] = id === undefined ? [type] : [type, id];
  const range = {
    start: [...prefix, query.before ?? KEY_MAX],
    end: query.since === undefined ? prefix : [...prefix, query.since],
    reverse: true,
  };
  if (id !== undefined) {
    for (const key of dbs.resourceTimeline.getKeys(range)) {
      const [, , lastUpdated, versionId] = key as [string, string, string, number];
      yield { id, lastUpdated, versionId };
    }
    return;
  }
  // the timeline key ends with the id, read backwards here: versions sharing an instant and a
  // versionId are buffered and given back in ascending id order
  let group: VersionRef[] = [];
  for (const key of dbs.typeTimeline.getKeys(range)) {
    const [, lastUpdated, versionId, rowId] = key as [string, string, number, string];
    const head = group[0];
    if (head && (head.lastUpdated !== lastUpdated || head.versionId !== versionId)) {
      yield* group.sort((a, b) => compareCodePoints(a.id, b.id));
      group = [];
    }
    group.push({ id: rowId, lastUpdated, versionId });
  }
  yield* group.sort((a, b) => compareCodePoints(a.id, b.id));
}
