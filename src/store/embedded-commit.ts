import { VersionConflictError, type RowWrite, type StoredRow } from './store.js';
import { durably, headOf, type EmbeddedDbs, type HeadRow } from './embedded-layout.js';
import { writePostings, type IndexCatalog } from './embedded-indexes.js';
import { fullRow } from './embedded-query.js';
import { KEY_MAX } from './index-keys.js';
import { isVersionNumber, plainRow } from './plain-row.js';

/**
 * The writes of the embedded store. Each call is one LMDB child transaction inside the batched
 * write transaction: a version conflict (or any failure) throws inside it and aborts it, so none
 * of its writes land, while other callers' writes batched with it still commit. The promise
 * resolves once LMDB has committed and synced the batch (`durably`).
 */

export async function commitWrites(dbs: EmbeddedDbs, catalog: IndexCatalog, writes: RowWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const rows = writes.map(({ row, expectedVersion }) => {
    if (expectedVersion !== 0 && !isVersionNumber(expectedVersion)) {
      throw new TypeError(`invalid expectedVersion for ${row.type}/${row.id}: ${String(expectedVersion)}`);
    }
    return { row: plainRow(row), expectedVersion };
  });
  await durably(dbs, () =>
    dbs.env.childTransaction(() => {
      // in order, so a commit may write two versions of one resource (expected 1, then 2)
      for (const { row, expectedVersion } of rows) applyWrite(dbs, catalog, row, expectedVersion);
    }),
  );
}

function applyWrite(dbs: EmbeddedDbs, catalog: IndexCatalog, row: StoredRow, expected: number): void {
  const head = dbs.heads.get([row.type, row.id]);
  const actual = head?.versionId ?? 0;
  if (actual !== expected) throw new VersionConflictError(row.type, row.id, expected, actual);
  if (row.versionId < actual) {
    throw new RangeError(`${row.type}/${row.id}: version ${row.versionId} would go back from ${actual}`);
  }
  if (head) {
    writePostings(dbs, catalog, indexedShapeOf(dbs, catalog, head), false);
    // the same versionId again rewrites that version in place (e.g. recomputed access facts)
    if (head.versionId === row.versionId) removeFromTimelines(dbs, head.type, head.id, head.lastUpdated, head.versionId);
  }
  dbs.versions.put([row.type, row.id, row.versionId], row);
  dbs.heads.put([row.type, row.id], headOf(row));
  dbs.typeTimeline.put([row.type, row.lastUpdated, row.versionId, row.id], null);
  dbs.resourceTimeline.put([row.type, row.id, row.lastUpdated, row.versionId], null);
  writePostings(dbs, catalog, row, true);
}

/** The row as its postings were computed: the head, or the full row if a field reads the resource. */
export function indexedShapeOf(dbs: EmbeddedDbs, catalog: IndexCatalog, head: HeadRow): HeadRow | StoredRow {
  if (head.deleted || !(catalog.get(head.type) ?? []).some((index) => index.readsResource)) return head;
  return fullRow(dbs, head);
}

function removeFromTimelines(dbs: EmbeddedDbs, type: string, id: string, lastUpdated: string, versionId: number): void {
  dbs.typeTimeline.remove([type, lastUpdated, versionId, id]);
  dbs.resourceTimeline.remove([type, id, lastUpdated, versionId]);
}

/** Removes every version, timeline entry and posting of the given resources, atomically. */
export async function purgeRows(dbs: EmbeddedDbs, catalog: IndexCatalog, type: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)].filter((id) => typeof id === 'string' && id !== '' && !id.includes('\u0000'));
  if (unique.length === 0) return;
  await durably(dbs, () =>
    dbs.env.childTransaction(() => {
      for (const id of unique) {
        const head = dbs.heads.get([type, id]);
        if (head) writePostings(dbs, catalog, indexedShapeOf(dbs, catalog, head), false);
        // keys are collected before removal: a cursor must not walk a range being deleted
        const times = [...dbs.resourceTimeline.getKeys({ start: [type, id], end: [type, id, KEY_MAX] })];
        for (const key of times) {
          const [, , lastUpdated, versionId] = key as [string, string, string, number];
          removeFromTimelines(dbs, type, id, lastUpdated, versionId);
        }
        const versions = [...dbs.versions.getKeys({ start: [type, id], end: [type, id, KEY_MAX] })];
        for (const key of versions) dbs.versions.remove(key);
        dbs.heads.remove([type, id]);
      }
    }),
  );
}
