import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore } from '../../src/store/embedded-store.js';
import type { IndexPlan, Store } from '../../src/store/store.js';

/**
 * The engines the store contract runs on, each opened fresh per test and disposed of after it:
 * the embedded store in a new temporary directory, MongoDB (only when MONGODB_URI is set) in a new
 * database dropped afterwards.
 */

export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

export interface EngineUnderTest {
  name: string;
  enabled: boolean;
  open(plan: IndexPlan): Promise<OpenedStore>;
}

export const EMBEDDED: EngineUnderTest = {
  name: 'embedded',
  enabled: true,
  async open(plan) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-store-'));
    const store = await openEmbeddedStore({ dir, indexPlan: plan });
    return {
      store,
      async dispose() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

const mongoUri = process.env.MONGODB_URI;

export const MONGODB: EngineUnderTest = {
  name: 'mongodb',
  enabled: Boolean(mongoUri),
  async open(plan) {
    // imported here so the embedded suite runs wherever the MongoDB engine cannot load
    const { openMongoStore } = await import('../../src/store/mongo-store.js');
    const { MongoClient } = await import('mongodb');
    const dbName = `store_contract_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const store = await openMongoStore({ uri: mongoUri!, dbName, indexPlan: plan });
    return {
      store,
      async dispose() {
        await store.close();
        const client = new MongoClient(mongoUri!);
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  },
};
