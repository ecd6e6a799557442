import type { RowRewrite, ScanQuery, StoredRow } from './store.js';
import { durably, headOf, type EmbeddedDbs } from './embedded-layout.js';
import { replacePostings, type IndexCatalog } from './embedded-indexes.js';
import { indexedShapeOf } from './embedded-commit.js';
import { fullRow } from './embedded-query.js';
import { KEY_MAX } from './index-keys.js';
import { plainRewrite } from './plain-row.js';

/**
 * The maintenance half of the embedded store (D24): versions rewritten in place with new `idx` and
 * `sec`, and a type's current rows walked in id order. A rewrite keeps `lastUpdated`, so the
 * timelines are untouched; only the version, the head and the head's postings change.
 */

export async function rewriteRows(dbs: EmbeddedDbs, catalog: IndexCatalog, rewrites: RowRewrite[]): Promise<void> {
  if (rewrites.length === 0) return;
  const plain = rewrites.map(plainRewrite);
  await durably(dbs, () =>
    dbs.env.childTransaction(() => {
      for (const rewrite of plain) applyRewrite(dbs, catalog, rewrite);
    }),
  );
}

function applyRewrite(dbs: EmbeddedDbs, catalog: IndexCatalog, rewrite: RowRewrite): void {
  const { type, id, versionId } = rewrite;
  const stored = dbs.versions.get([type, id, versionId]);
  if (!stored) return; // purged meanwhile: nothing left to recompute
  const head = dbs.heads.get([type, id]);
  const isCurrent = head?.versionId === versionId;
  // the old postings are computed from the row as it still is, before it is replaced
  const before = isCurrent ? indexedShapeOf(dbs, catalog, head) : undefined;
  const { lastUpdated, deleted, resource } = stored;
  const row: StoredRow = { type, id, versionId, lastUpdated, deleted, ...(resource !== undefined ? { resource } : {}), idx: rewrite.idx, sec: rewrite.sec };
  dbs.versions.put([type, id, versionId], row);
  if (before) {
    dbs.heads.put([type, id], headOf(row));
    replacePostings(dbs, catalog, before, row);
  }
}

export function scanRows(dbs: EmbeddedDbs, type: string, query: ScanQuery): StoredRow[] {
  const limit = Math.trunc(query.limit);
  if (!(limit > 0)) return [];
  const after = query.afterId;
  const heads = dbs.heads.getRange({
    start: after === undefined ? [type] : [type, after],
    end: [type, KEY_MAX],
    exclusiveStart: after !== undefined,
    limit,
  });
  return [...heads].map(({ value }) => fullRow(dbs, value));
}
