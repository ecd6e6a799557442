import type { AuditLogger } from '../audit/senders.js';
import type { Config } from '../config.js';
import type { Store } from '../store/store.js';
import { ensureInsurerOrganization } from './insurer.js';
import { seedDemoData } from './seed.js';

/**
 * What the store needs before the server answers (app start-up, `onReady`):
 * - D17: the insurer's Organization exists (one indexed lookup when it does);
 * - D5: on the first start of an empty store, the demo data (unless SEED_DEMO=false).
 * "First start" is recorded in the store's meta under DEMO_SEED_KEY, so a started store costs one
 * meta read and nothing else, and a store that later becomes empty (retention, R9.3) is never
 * seeded again by itself. "Empty" means no Patient row at all, tombstones included.
 */

export const DEMO_SEED_KEY = 'demo-seed';

export interface PrepareOptions {
  store: Store;
  config: Config;
  clock: () => Date;
  logger?: AuditLogger;
}

/** D5: seeds when this is the first start of an empty store; returns whether it seeded. */
export async function seedOnFirstStart({ store, config, clock, logger }: PrepareOptions): Promise<boolean> {
  if (!config.seedDemo || (await store.getMeta(DEMO_SEED_KEY)) !== undefined) return false;
  if ((await store.scan('Patient', { limit: 1 })).length > 0) {
    await store.setMeta(DEMO_SEED_KEY, `not seeded: the store held data on ${clock().toISOString()}`);
    return false;
  }
  const report = await seedDemoData({ store, config, clock });
  await store.setMeta(DEMO_SEED_KEY, `seeded on ${clock().toISOString()}`);
  logger?.info({ resources: report.written.length }, 'first start on an empty store: demo DMPs loaded (SEED_DEMO=false to skip; demo identities in the README)');
  return true;
}

export async function prepareStore(options: PrepareOptions): Promise<void> {
  await ensureInsurerOrganization(options);
  await seedOnFirstStart(options);
}
