import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devKeyPath, loadDevKeys } from './dev-keys.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-devkeys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('development signing key (D1)', () => {
  it('creates a private ES256 key readable by its owner only', async () => {
    const keys = await loadDevKeys(path.join(dataDir, 'nested'));
    const file = devKeyPath(path.join(dataDir, 'nested'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8'));
    expect(stored).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: keys.kid });
    expect(stored.d).toEqual(expect.any(String));
  });

  it('publishes only the public half of the key', async () => {
    const { publicJwk } = await loadDevKeys(dataDir);
    expect(Object.keys(publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('reuses the same key after a restart', async () => {
    const first = await loadDevKeys(dataDir);
    const second = await loadDevKeys(dataDir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
  });

  it('gives every process started together the same key', async () => {
    const all = await Promise.all(Array.from({ length: 8 }, () => loadDevKeys(dataDir)));
    expect(new Set(all.map((keys) => keys.kid)).size).toBe(1);
  });

  it('says how to recover from a damaged key file', async () => {
    await writeFile(devKeyPath(dataDir), '{"kty":"oct","k":"c2VjcmV0"}');
    await expect(loadDevKeys(dataDir)).rejects.toThrow(/not a valid ES256 private key; delete it/);
  });
});
