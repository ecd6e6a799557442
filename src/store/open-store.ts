import path from 'node:path';
import type { Config } from '../config.js';
import type { IndexPlan, Store } from './store.js';

/**
 * Picks the engine from configuration: MongoDB when a URI is given, else the embedded store under
 * DATA_DIR. Each engine is imported only when chosen, so a MongoDB deployment never loads the LMDB
 * native module and an embedded one never loads the MongoDB driver.
 */
export async function openStore(config: Config, indexPlan: IndexPlan): Promise<Store> {
  if (config.mongodbUri) {
    const { openMongoStore } = await import('./mongo-store.js');
    return openMongoStore({ uri: config.mongodbUri, dbName: config.mongodbDb, indexPlan });
  }
  const { openEmbeddedStore } = await import('./embedded-store.js');
  return openEmbeddedStore({ dir: path.join(config.dataDir, 'store'), indexPlan });
}
