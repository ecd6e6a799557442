import { MongoClient } from 'mongodb';
import { commitWrites, purgeResources } from './mongo-commit.js';
import { assertTransactionsAvailable } from './mongo-deployment.js';
import { guarded } from './mongo-errors.js';
import { ensureIndexes } from './mongo-indexes.js';
import { readMeta, writeMeta } from './mongo-meta.js';
import { countHistory, countRows, findHistory, findRows, readCurrent, readVersion, scanCurrent } from './mongo-reads.js';
import { rewriteRows } from './mongo-rewrite.js';
import { isKeyText } from './plain-row.js';
import type { IndexPlan, Store } from './store.js';

export interface MongoStoreOptions {
  uri: string;
  dbName: string;
  indexPlan: IndexPlan;
}

/**
 * The Store on MongoDB (a replica set or sharded cluster, D31): one collection of current versions
 * and one of history per resource type. Connectivity failures leave every method as
 * StoreUnavailableError (503); version conflicts as VersionConflictError, never retried here.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.uri, {
    appName: 'dmp-fhir-server',
    // A resource stored without an optional field must come back without it, not with `null`
    // (tombstones have no `resource`), so both engines return identical rows.
    ignoreUndefined: true,
  });
  try {
    await guarded(async () => {
      await client.connect();
      await assertTransactionsAvailable(client);
      await ensureIndexes(client.db(options.dbName), options.indexPlan);
    });
  } catch (error) {
    await client.close().catch(() => undefined); // already failing: the first error is the one to report
    throw error;
  }
  const db = client.db(options.dbName);

  return {
    kind: 'mongodb',
    read: (type, id) => guarded(() => readCurrent(db, type, id)),
    readVersion: (type, id, versionId) => guarded(() => readVersion(db, type, id, versionId)),
    find: (type, query) => guarded(() => findRows(db, type, query)),
    count: (type, filter) => guarded(() => countRows(db, type, filter)),
    history: (type, id, query) => guarded(() => findHistory(db, type, id, query)),
    historyCount: (type, id, query) => guarded(() => countHistory(db, type, id, query)),
    commit: (writes) => guarded(() => commitWrites(client, db, writes)),
    purge: (type, ids) => guarded(() => purgeResources(client, db, type, ids)),
    rewrite: (rows) => guarded(() => rewriteRows(client, db, rows)),
    scan: (type, query) => guarded(() => scanCurrent(db, type, query)),
    getMeta: (key) => guarded(async () => (isKeyText(key) ? readMeta(db, key) : undefined)),
    setMeta: (key, value) =>
      guarded(async () => {
        if (!isKeyText(key) || typeof value !== 'string') throw new TypeError(`invalid meta entry: ${String(key)}`);
        await writeMeta(db, key, value);
      }),
    ping: () => guarded(async () => void (await client.db('admin').command({ ping: 1 }))),
    close: () => client.close(),
  };
}
