import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAccessRules } from '../access/rules.js';
import { doc } from '../access/test-fixture.js';
import { withFaults } from '../store/faulty-store.js';
import { profilesHash } from './profiles-hash.js';
import { PROFILES_HASH_KEY, reindexIfProfilesChanged } from './reindex-if-changed.js';
import { openTempStore, writeVersions, type TempStore } from './test-store.js';

const AT = new Date('2025-01-10T09:00:00.000Z');
const OLD_HASH = 'a'.repeat(64);
const NEW_HASH = 'b'.repeat(64);

describe('reindexIfProfilesChanged', () => {
  let t: TempStore;
  afterEach(() => t.close());
  const messages: string[] = [];
  const log = { info: (m: string) => messages.push(m) };

  it('records the hash of a fresh store without reindexing anything', async () => {
    t = await openTempStore();
    expect(await reindexIfProfilesChanged(t.store, log)).toEqual({ ran: false, reason: 'empty store', hash: profilesHash() });
    expect(await t.store.getMeta(PROFILES_HASH_KEY)).toBe(profilesHash());
    expect(await reindexIfProfilesChanged(t.store, log)).toMatchObject({ ran: false, reason: 'unchanged' });
  });

  it('reindexes once when the hash changed, records the new one, and not again on the next start', async () => {
    t = await openTempStore();
    await writeVersions(t.store, [doc('d1', 'alice', { type: ['http://loinc.org', '11502-2'] })], AT, { sec: { family: 'stale-family' } });
    await t.store.setMeta(PROFILES_HASH_KEY, OLD_HASH);
    messages.length = 0;

    const first = await reindexIfProfilesChanged(t.store, log, { hash: NEW_HASH });
    expect(first).toMatchObject({ ran: true, hash: NEW_HASH, result: { rows: 1, versions: 1, changed: 1 } });
    expect((await t.store.read('DocumentReference', 'd1'))?.sec.family).toBe('lab');
    expect(await t.store.getMeta(PROFILES_HASH_KEY)).toBe(NEW_HASH);
    expect(messages[0]).toMatch(/profiles\/ changed .*aaaaaaaaaaaa → bbbbbbbbbbbb/);

    await t.store.rewrite([{ type: 'DocumentReference', id: 'd1', versionId: 1, idx: {}, sec: { family: 'spoiled again' } }]);
    expect(await reindexIfProfilesChanged(t.store, log, { hash: NEW_HASH })).toMatchObject({ ran: false, reason: 'unchanged' });
    expect((await t.store.read('DocumentReference', 'd1'))?.sec.family).toBe('spoiled again');
  });

  it('moves documents to the family an edited profiles/ gives their type, at the first start after the edit only', async () => {
    t = await openTempStore();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-profiles-'));
    try {
      await cp(fileURLToPath(new URL('../../profiles', import.meta.url)), dir, { recursive: true });
      const familiesFile = path.join(dir, 'document-families.json');
      const rulesOf = async () =>
        parseAccessRules(JSON.parse(await readFile(familiesFile, 'utf8')), JSON.parse(await readFile(path.join(dir, 'habilitation-matrix.json'), 'utf8')));
      await writeVersions(t.store, [doc('d1', 'alice', { type: ['http://loinc.org', '11502-2'] })], AT);
      const start = async () => reindexIfProfilesChanged(t.store, log, { hash: profilesHash({ dir }), rules: await rulesOf() });
      expect(await start()).toMatchObject({ ran: true, result: { changed: 0 } }); // first start with hashes: nothing stale
      expect(await start()).toMatchObject({ ran: false, reason: 'unchanged' });

      // the table now files biology results under imaging
      const edited = (await readFile(familiesFile, 'utf8')).replace(/("code": "11502-2", "family": )"lab"/, '$1"imaging"');
      expect(edited).toContain('"code": "11502-2", "family": "imaging"');
      await writeFile(familiesFile, edited);
      expect(await start()).toMatchObject({ ran: true, result: { rows: 1, versions: 1, changed: 1 } });
      expect((await t.store.find('DocumentReference', { filter: { 'sec.family': 'imaging' } })).map((r) => r.id)).toEqual(['d1']);
      expect(await start()).toMatchObject({ ran: false, reason: 'unchanged' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reindexes a store that holds rows but no hash yet (indexed before hashes were recorded)', async () => {
    t = await openTempStore();
    await writeVersions(t.store, [doc('d1', 'alice')], AT, { sec: { family: 'stale-family' } });
    expect(await reindexIfProfilesChanged(t.store, log)).toMatchObject({ ran: true, result: { changed: 1 } });
    expect(await t.store.getMeta(PROFILES_HASH_KEY)).toBe(profilesHash());
  });

  it('keeps the old hash when the reindex fails, so the next start tries again', async () => {
    t = await openTempStore();
    await writeVersions(t.store, [doc('d1', 'alice')], AT, { sec: { family: 'stale-family' } });
    await t.store.setMeta(PROFILES_HASH_KEY, OLD_HASH);
    const faults = withFaults(t.store);
    faults.failNext('rewrite');
    await expect(reindexIfProfilesChanged(faults.store, log, { hash: NEW_HASH })).rejects.toThrow(/unavailable/);
    expect(await t.store.getMeta(PROFILES_HASH_KEY)).toBe(OLD_HASH);
    expect(await reindexIfProfilesChanged(t.store, log, { hash: NEW_HASH })).toMatchObject({ ran: true, result: { changed: 1 } });
  });
});
