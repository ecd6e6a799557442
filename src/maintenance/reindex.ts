import { loadAccessRules, type AccessRules } from '../access/rules.js';
import type { RowRewrite, Store, StoredRow } from '../store/store.js';
import { recomputeVersions } from './recompute-versions.js';

/**
 * D24: recomputes the stored `idx` and `sec` of every version of every resource of the given types,
 * after the family table, the matrix or the search definitions changed. Walks each type's current
 * rows in pages of `batchSize`, reads each resource's versions, and rewrites in place, in batches,
 * only the versions whose values differ: running it twice changes nothing the second time. Safe
 * while the server serves: a version is immutable apart from these two fields, and a rewrite
 * touches the current row only while it is still that version.
 */

export interface ReindexLog {
  info(message: string): void;
}

export interface ReindexOptions {
  types: readonly string[];
  log?: ReindexLog;
  /** Current rows read per page, and versions rewritten per store call (default 500). */
  batchSize?: number;
  /** The tables to recompute with; by default those of `profiles/`. */
  rules?: AccessRules;
}

export interface ReindexResult {
  /** Resources visited (current rows, tombstones included). */
  rows: number;
  /** Versions recomputed, every version of every resource. */
  versions: number;
  /** Versions whose `idx` or `sec` differed and were rewritten. */
  changed: number;
}

const DEFAULT_BATCH = 500;

export async function reindex(store: Store, options: ReindexOptions): Promise<ReindexResult> {
  const batchSize = Math.max(1, Math.trunc(options.batchSize ?? DEFAULT_BATCH));
  const rules = options.rules ?? loadAccessRules();
  const total: ReindexResult = { rows: 0, versions: 0, changed: 0 };
  for (const type of options.types) {
    const counts = await reindexType(store, type, batchSize, rules);
    total.rows += counts.rows;
    total.versions += counts.versions;
    total.changed += counts.changed;
    if (counts.rows > 0) options.log?.info(`reindex ${type}: ${counts.rows} resources, ${counts.versions} versions, ${counts.changed} rewritten`);
  }
  return total;
}

async function reindexType(store: Store, type: string, batchSize: number, rules: AccessRules): Promise<ReindexResult> {
  const counts: ReindexResult = { rows: 0, versions: 0, changed: 0 };
  let pending: RowRewrite[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    await store.rewrite(pending);
    counts.changed += pending.length;
    pending = [];
  };
  let afterId: string | undefined;
  for (;;) {
    const page = await store.scan(type, { afterId, limit: batchSize });
    if (page.length === 0) break;
    for (const current of page) {
      const { versions, rewrites } = recomputeVersions(await versionsOf(store, current), rules);
      counts.rows++;
      counts.versions += versions;
      pending.push(...rewrites);
      if (pending.length >= batchSize) await flush();
    }
    afterId = page[page.length - 1]!.id;
  }
  await flush();
  return counts;
}

/** Every version of the resource; a first version is its own history, so no second read is needed. */
async function versionsOf(store: Store, current: StoredRow): Promise<StoredRow[]> {
  if (current.versionId === 1) return [current];
  return store.history(current.type, current.id, {});
}
