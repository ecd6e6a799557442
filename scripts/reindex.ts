/**
 * `npm run reindex` (D24): recomputes the stored `idx` and `sec` of every version in the configured
 * store (same environment variables as the server), then records the `profiles/` hash so the next
 * start-up does not do it again. Safe to run while the server serves, and to run again.
 */
import { loadConfig } from '../src/config.js';
import { storeIndexPlan } from '../src/access/index-plan.js';
import { openStore } from '../src/store/open-store.js';
import { profilesHash } from '../src/maintenance/profiles-hash.js';
import { PROFILES_HASH_KEY } from '../src/maintenance/reindex-if-changed.js';
import { reindex } from '../src/maintenance/reindex.js';
import { reindexTypes } from '../src/maintenance/reindex-types.js';

const config = loadConfig();
const store = await openStore(config, storeIndexPlan());
try {
  console.log(`reindexing ${config.mongodbUri ? `MongoDB database ${config.mongodbDb}` : `the embedded store in ${config.dataDir}`}`);
  const hash = profilesHash();
  const started = performance.now();
  const result = await reindex(store, { types: reindexTypes(), log: { info: (message) => console.log(message) } });
  const seconds = (performance.now() - started) / 1000;
  await store.setMeta(PROFILES_HASH_KEY, hash);
  const rate = seconds > 0 ? Math.round(result.versions / seconds) : result.versions;
  console.log(
    `reindexed ${result.rows} resources, ${result.versions} versions (${result.changed} rewritten) in ${seconds.toFixed(2)} s, ` +
      `${rate} versions/s; profiles hash ${hash.slice(0, 12)}`,
  );
} finally {
  await store.close();
}
