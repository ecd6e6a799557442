import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { storeIndexPlan } from '../../src/access/index-plan.js';
import { openStore } from '../../src/store/open-store.js';
import { mintDevToken, type TokenOptions } from '../../src/access/dev-token.js';
import type { Store } from '../../src/store/store.js';

export type StoreKind = 'embedded' | 'mongodb';

/** The engines a suite runs on: the embedded store always, MongoDB when MONGODB_URI is set. */
export const STORE_KINDS: StoreKind[] = process.env.MONGODB_URI ? ['embedded', 'mongodb'] : ['embedded'];

export interface TestApp {
  app: FastifyInstance;
  /** An agent sending the default token (an admin's unless `TestAppOptions.token` says otherwise). */
  request: ReturnType<typeof supertest.agent>;
  /** An agent sending a token minted with these claims. */
  as(claims: TokenOptions): Promise<ReturnType<typeof supertest.agent>>;
  /** A bare agent: no token. */
  anonymous: ReturnType<typeof supertest>;
  token(claims: TokenOptions): Promise<string>;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

export interface TestAppOptions {
  kind?: StoreKind;
  env?: Record<string, string>;
  clock?: () => Date;
  /** Wraps the opened store (e.g. fault injection) before the app gets it. */
  wrapStore?: (store: Store) => Store;
  /** `false` for suites of FHIR REST mechanics, which are not about the DMP rules. */
  accessControl?: boolean;
  /** Captures the app's pino log lines (at info level) instead of silencing them. */
  logStream?: DestinationStream;
  /** Claims of the default token of `request`. */
  token?: TokenOptions;
}

/** A fresh app on a fresh, empty store: no state shared between tests, no fixed port. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const kind = options.kind ?? 'embedded';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-test-'));
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FHIR_BASE_URL: 'http://localhost:8080/fhir',
    ...(kind === 'mongodb' ? { MONGODB_URI: process.env.MONGODB_URI!, MONGODB_DB: `test_${path.basename(dataDir).replace(/\W/g, '_')}` } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const opened = await openStore(config, storeIndexPlan());
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  const app = await buildApp(config, { store, clock: options.clock, logger: options.logStream ? { level: 'info', stream: options.logStream } : false, accessControl: options.accessControl ?? true, background: false });
  await app.ready();
  const token = (claims: TokenOptions) => mintDevToken(config, claims);
  const as = async (claims: TokenOptions) => supertest.agent(app.server).set('authorization', `Bearer ${await token(claims)}`);
  return {
    app,
    request: await as(options.token ?? { role: 'admin' }),
    as,
    anonymous: supertest(app.server),
    token,
    store,
    config,
    async close() {
      await app.close();
      await opened.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
