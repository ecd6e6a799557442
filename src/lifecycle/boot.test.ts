import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccessTestStore, patient, type AccessTestStore } from '../access/test-fixture.js';
import { loadConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { DEMO_SEED_KEY, prepareStore, seedOnFirstStart } from './boot.js';
import { insurerOrganizationId } from './insurer.js';

let t: AccessTestStore;
beforeEach(async () => {
  t = await openAccessTestStore([]);
});
afterEach(() => t.close());

const clock = () => new Date();
const options = (env: Record<string, string> = {}) => ({ store: t.store, config: loadConfig({ DATA_DIR: '/nonexistent', ...env }), clock });

/** Counts the store reads, to show that a started store costs one meta read. */
function counting(store: Store): { store: Store; reads: () => number } {
  let reads = 0;
  const counted = (name: keyof Store) => (...args: unknown[]) => {
    reads++;
    return (store[name] as (...a: unknown[]) => unknown)(...args);
  };
  return {
    store: { ...store, find: counted('find'), scan: counted('scan'), read: counted('read'), count: counted('count'), getMeta: counted('getMeta') } as Store,
    reads: () => reads,
  };
}

describe('D5 first start', () => {
  it('loads the demo data into an empty store, once', async () => {
    expect(await seedOnFirstStart(options())).toBe(true);
    expect(await t.store.read('Patient', 'demo-claire')).toBeDefined();
    expect(await t.store.getMeta(DEMO_SEED_KEY)).toMatch(/^seeded on /);
    const rows = await t.store.count('AuditEvent', {});
    expect(await seedOnFirstStart(options())).toBe(false);
    expect(await t.store.count('AuditEvent', {})).toBe(rows);
  });

  it('does nothing with SEED_DEMO=false', async () => {
    expect(await seedOnFirstStart(options({ SEED_DEMO: 'false' }))).toBe(false);
    expect(await t.store.count('Patient', {})).toBe(0);
    expect(await t.store.getMeta(DEMO_SEED_KEY)).toBeUndefined();
  });

  it('leaves a store that holds data alone, and afterwards costs one meta read per start', async () => {
    await t.put([{ resource: patient('someone', '1970-01-01') }]);
    expect(await seedOnFirstStart(options())).toBe(false);
    expect(await t.store.read('Patient', 'demo-claire')).toBeUndefined();
    expect(await t.store.getMeta(DEMO_SEED_KEY)).toMatch(/^not seeded/);
    const probe = counting(t.store);
    expect(await seedOnFirstStart({ ...options(), store: probe.store })).toBe(false);
    expect(probe.reads()).toBe(1);
  });

  it('D17 prepares the insurer Organization even when nothing is seeded', async () => {
    await prepareStore(options({ SEED_DEMO: 'false' }));
    expect(await t.store.read('Organization', insurerOrganizationId(options().config.insurer))).toBeDefined();
  });
});
