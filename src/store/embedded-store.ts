import { mkdir } from 'node:fs/promises';
import { StoreUnavailableError, VersionConflictError, type IndexPlan, type Store } from './store.js';
import { durably, openLayout, type EmbeddedDbs } from './embedded-layout.js';
import { syncIndexes } from './embedded-indexes.js';
import { countRows, findRows, fullRow, type QueryContext, type QueryTrace } from './embedded-query.js';
import { commitWrites, purgeRows } from './embedded-commit.js';
import { historyCount, historyRows } from './embedded-history.js';
import { rewriteRows, scanRows } from './embedded-rewrite.js';
import { isKeyText, isVersionNumber } from './plain-row.js';

/**
 * The default store: LMDB (through `lmdb`) for durable, crash-safe storage in one directory, and
 * mingo to evaluate the same MongoDB filters the MongoDB engine receives. Layout in
 * embedded-layout.ts, indexes in embedded-indexes.ts, planning in query-plan.ts.
 */

export interface EmbeddedStoreOptions {
  dir: string;
  indexPlan: IndexPlan;
  /** Called after each find and count with how it was answered (tests, benchmarks, diagnostics). */
  observe?: (trace: QueryTrace) => void;
}

export type { QueryTrace };

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<Store> {
  let dbs: EmbeddedDbs;
  let ctx: QueryContext;
  try {
    await mkdir(options.dir, { recursive: true });
    dbs = openLayout(options.dir);
    ctx = { dbs, catalog: syncIndexes(dbs, options.indexPlan), observe: options.observe };
  } catch (error) {
    throw new StoreUnavailableError(error);
  }
  const { catalog } = ctx;
  let closed = false;
  let commitFailed = false;

  // LMDB works synchronously on the calling thread; the Store contract is asynchronous, and every
  // failure of the engine itself (closed, disk full, I/O) becomes StoreUnavailableError (503)
  async function guard<T>(work: () => T | Promise<T>): Promise<T> {
    if (closed) throw new StoreUnavailableError(new Error('the embedded store is closed'));
    try {
      return await work();
    } catch (error) {
      if (settleCommitError(error)) commitFailed = true;
      throw isEngineFailure(error) ? new StoreUnavailableError(error) : error;
    }
  }

  return {
    kind: 'embedded',
    read: (type, id) =>
      guard(() => {
        if (!isKeyText(type) || !isKeyText(id)) return undefined;
        const head = dbs.heads.get([type, id]);
        return head ? fullRow(dbs, head) : undefined;
      }),
    readVersion: (type, id, versionId) =>
      guard(() => (isKeyText(type) && isKeyText(id) && isVersionNumber(versionId) ? dbs.versions.get([type, id, versionId]) : undefined)),
    find: (type, query) => guard(() => (isKeyText(type) ? findRows(ctx, type, query) : [])),
    count: (type, filter) => guard(() => (isKeyText(type) ? countRows(ctx, type, filter) : 0)),
    history: (type, id, query) =>
      guard(() => (isKeyText(type) && (id === undefined || isKeyText(id)) ? historyRows(dbs, type, id, query) : [])),
    historyCount: (type, id, query) =>
      guard(() => (isKeyText(type) && (id === undefined || isKeyText(id)) ? historyCount(dbs, type, id, query) : 0)),
    commit: (writes) => guard(() => commitWrites(dbs, catalog, writes)),
    purge: (type, ids) => guard(() => (isKeyText(type) ? purgeRows(dbs, catalog, type, ids) : undefined)),
    rewrite: (rows) => guard(() => rewriteRows(dbs, catalog, rows)),
    scan: (type, query) =>
      guard(() => (isKeyText(type) && (query.afterId === undefined || isKeyText(query.afterId)) ? scanRows(dbs, type, query) : [])),
    // beside the index catalog in `meta`, under their own prefix
    getMeta: (key) => guard(() => (isKeyText(key) ? (dbs.meta.get(['kv', key]) as string | undefined) : undefined)),
    setMeta: (key, value) =>
      guard(async () => {
        if (!isKeyText(key) || typeof value !== 'string') throw new TypeError(`invalid meta entry: ${String(key)}`);
        await durably(dbs, () => dbs.meta.put(['kv', key], value));
      }),
    ping: () =>
      guard(() => {
        dbs.meta.get(['layout']);
      }),
    close: async () => {
      if (closed) return;
      closed = true;
      // after a failed commit, LMDB's pending flush promise never settles and close would wait on
      // it forever: an empty transaction (nothing to write, so it cannot fail for lack of space)
      // ends with a flush of its own
      if (commitFailed) await dbs.env.transaction(() => undefined).catch(() => undefined);
      await dbs.env.close();
    },
  };
}

function isEngineFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof VersionConflictError) return false;
  return /MDB_|database (?:is|has been) closed|commit failed|\bENOSPC\b|\bEIO\b|\bEFBIG\b|no space left|input\/output error|file too large/i.test(error.message);
}

/**
 * A failed LMDB commit rejects each writer with "Commit failed" and hangs the engine's own error on
 * `commitError`, a promise rejected once the batch is torn down: handled here, so the failure reaches
 * the caller as StoreUnavailableError and never the process as an unhandled rejection. True when the
 * error was such a failed commit.
 */
function settleCommitError(error: unknown): boolean {
  const detail = (error as { commitError?: unknown } | null)?.commitError;
  if (!(detail instanceof Promise)) return false;
  detail.catch(() => undefined);
  return true;
}
