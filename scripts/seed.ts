/**
 * `npm run seed` (D5): loads the demo DMPs into the configured store (same environment variables as
 * the server), whatever it holds already, then prints who to sign in as. Idempotent: a second run
 * changes nothing. Safe while the server runs (each write is an ordinary, traced write).
 */
import { storeIndexPlan } from '../src/access/index-plan.js';
import { loadConfig } from '../src/config.js';
import { DEMO_SEED_KEY } from '../src/lifecycle/boot.js';
import { DEMO_IDENTITIES } from '../src/lifecycle/demo-identities.js';
import { seedDemoData } from '../src/lifecycle/seed.js';
import { openStore } from '../src/store/open-store.js';

const config = loadConfig();
const store = await openStore(config, storeIndexPlan());
try {
  console.log(`loading the demo DMPs into ${config.mongodbUri ? `MongoDB database ${config.mongodbDb}` : `the embedded store in ${config.dataDir}`}`);
  const clock = () => new Date();
  const report = await seedDemoData({ store, config, clock });
  await store.setMeta(DEMO_SEED_KEY, `seeded on ${clock().toISOString()} (npm run seed)`);
  console.log(`${report.written.length} resources written, ${report.kept.length} already there and left as they are.\n`);
  console.log('Sign in as (npm run -s token -- <options>, or POST /dev/token with the claims as JSON):');
  for (const identity of DEMO_IDENTITIES) {
    const options = Object.entries(identity.claims)
      .map(([key, value]) => `--${key === 'fhirUser' ? 'fhir-user' : key} ${value}`)
      .join(' ');
    console.log(`\n  ${identity.label}\n    ${options}\n    ${identity.shows}`);
  }
} catch (error) {
  console.error(`seed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
