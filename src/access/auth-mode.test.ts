import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, generateSecret } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { authMode, publishedJwks } from './auth-mode.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-authmode-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function jwksFile(keys: unknown[]): Promise<string> {
  const file = path.join(dir, 'jwks.json');
  await writeFile(file, JSON.stringify({ keys }));
  return file;
}

const external = { AUTH_ISSUER: 'https://idp.example.fr', AUTH_AUDIENCE: 'https://dmp.example.fr/fhir' };

describe('authentication mode (D1)', () => {
  it('runs in development mode, loudly, when no AUTH_* variable is set', () => {
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.auth).toEqual({ mode: 'development', clockToleranceSeconds: 30 });
    const report = authMode(config);
    expect(report.level).toBe('warn');
    expect(report.message).toMatch(/DEVELOPMENT AUTH MODE/);
    expect(report.message).toContain(path.join(dir, 'dev-signing-key.json'));
  });

  it('refuses to start in production without AUTH_* variables', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs real token verification/);
  });

  it('verifies with a JWKS URL when one is given', () => {
    const config = loadConfig({ ...external, AUTH_JWKS_URL: 'https://idp.example.fr/jwks', AUTH_CLOCK_TOLERANCE_SECONDS: '5' });
    expect(config.auth).toEqual({ mode: 'jwks-url', jwksUrl: 'https://idp.example.fr/jwks', ...{ issuer: external.AUTH_ISSUER, audience: external.AUTH_AUDIENCE }, clockToleranceSeconds: 5 });
    expect(authMode(config)).toMatchObject({ mode: 'jwks-url', level: 'info' });
  });

  it('verifies with a JWKS file and publishes only its public members', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    const file = await jwksFile([{ ...(await exportJWK(publicKey)), kid: 'k1', 'x-internal': 'note' }]);
    const config = loadConfig({ ...external, AUTH_JWKS_FILE: file });
    expect(config.auth.mode).toBe('jwks-file');
    const published = await publishedJwks(config);
    expect(Object.keys(published!.keys[0]!).sort()).toEqual(['e', 'kid', 'kty', 'n']);
  });

  it('publishes no keys with a JWKS URL: the identity provider does', async () => {
    expect(await publishedJwks(loadConfig({ ...external, AUTH_JWKS_URL: 'https://idp.example.fr/jwks' }))).toBeUndefined();
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an issuer without keys', { AUTH_ISSUER: 'x' }, /neither AUTH_JWKS_URL nor AUTH_JWKS_FILE/],
    ['both a URL and a file', { ...external, AUTH_JWKS_URL: 'https://idp/jwks', AUTH_JWKS_FILE: '/x' }, /not both/],
    ['a JWKS URL without issuer', { AUTH_AUDIENCE: 'a', AUTH_JWKS_URL: 'https://idp/jwks' }, /AUTH_ISSUER is required/],
    ['a JWKS URL without audience', { AUTH_ISSUER: 'i', AUTH_JWKS_URL: 'https://idp/jwks' }, /AUTH_AUDIENCE is required/],
    ['a malformed JWKS URL', { ...external, AUTH_JWKS_URL: 'idp/jwks' }, /AUTH_JWKS_URL must be an absolute URL/],
    ['a plain-http JWKS URL in production', { ...external, NODE_ENV: 'production', AUTH_JWKS_URL: 'http://idp/jwks' }, /AUTH_JWKS_URL must use https:/],
    ['a missing JWKS file', { ...external, AUTH_JWKS_FILE: '/nonexistent/jwks.json' }, /AUTH_JWKS_FILE cannot be read .*ENOENT/],
    ['a clock tolerance over five minutes', { AUTH_CLOCK_TOLERANCE_SECONDS: '900' }, /AUTH_CLOCK_TOLERANCE_SECONDS must be between 0 and 300/],
  ])('refuses %s', (_what, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuses a JWKS file that is not JSON, has no key, or holds a secret or a private key', async () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /is not JSON/],
      ['{"keys":[]}', /holds no key/],
      ['{"kty":"EC"}', /is not a JWKS/],
      [JSON.stringify({ keys: [await exportJWK(await generateSecret('HS256', { extractable: true }))] }), /kty "oct"/],
      [JSON.stringify({ keys: [await exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey)] }), /is a private key/],
    ];
    const file = path.join(dir, 'jwks.json');
    for (const [text, message] of cases) {
      await writeFile(file, text);
      expect(() => loadConfig({ ...external, AUTH_JWKS_FILE: file })).toThrow(message);
    }
  });

  it('allows plain http for a JWKS URL outside production (a local identity provider)', () => {
    expect(loadConfig({ ...external, AUTH_JWKS_URL: 'http://localhost:8081/jwks' }).auth.mode).toBe('jwks-url');
  });
});
