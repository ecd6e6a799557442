import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../config.js';
import { verifierForConfig } from './auth-mode.js';
import { TokenRequestError, lifetimeSeconds, mintDevToken, tokenOptionsFrom } from './dev-token.js';

let dataDir: string;
let config: Config;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-devtoken-'));
  config = loadConfig({ DATA_DIR: dataDir });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('development tokens (D1, D4)', () => {
  it('mints a token the development verifier accepts, with the claims asked for', async () => {
    const token = await mintDevToken(config, { role: 'professional', rpps: '10000000001', profession: '60', scope: 'user/*.rs' });
    const context = await (await verifierForConfig(config)).verify(token);
    expect(context).toMatchObject({ role: 'professional', rpps: '10000000001', profession: '60', sub: 'rpps-10000000001' });
    expect(context.scopes).toHaveLength(1);
  });

  it('supplies a default subject (D3)', async () => {
    expect(decodeJwt(await mintDevToken(config, { role: 'admin' })).sub).toBe('dev-admin');
    expect(decodeJwt(await mintDevToken(config, { role: 'patient', fhirUser: 'Patient/7' })).sub).toBe('Patient/7');
    expect(decodeJwt(await mintDevToken(config, { role: 'admin', sub: 'ops-1' })).sub).toBe('ops-1');
  });

  it('signs with ES256, names its key and says it is an access token', async () => {
    const header = decodeProtectedHeader(await mintDevToken(config, { role: 'admin' }));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
  });

  it('lasts one hour unless told otherwise', async () => {
    const now = new Date('2025-03-01T10:00:00Z');
    const claims = decodeJwt(await mintDevToken(config, { role: 'admin' }, now));
    expect(claims.iat).toBe(now.getTime() / 1000);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const short = decodeJwt(await mintDevToken(config, { role: 'admin', expiresIn: '15m' }, now));
    expect(short.exp! - short.iat!).toBe(900);
  });

  it('refuses to mint a token the verifier would refuse, saying why', async () => {
    await expect(mintDevToken(config, { role: 'professional' })).rejects.toThrow(TokenRequestError);
    await expect(mintDevToken(config, { role: 'professional', rpps: '10000000001', profession: '10' })).rejects.toThrow(/needs a "specialty"/);
  });

  it('mints an unknown role, so that R1.3 can be shown to refuse it', async () => {
    expect(decodeJwt(await mintDevToken(config, { role: 'insurer' })).dmp_role).toBe('insurer');
  });

  it('mints nothing once AUTH_* is set', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const file = path.join(dataDir, 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [await exportJWK(publicKey)] }));
    const external = loadConfig({ DATA_DIR: dataDir, AUTH_JWKS_FILE: file, AUTH_ISSUER: 'https://idp', AUTH_AUDIENCE: 'dmp' });
    await expect(mintDevToken(external, { role: 'admin' })).rejects.toThrow(/only in development mode/);
  });

  it.each(['0', '-1h', '1w', 'soon', '366d'])('refuses the lifetime %s', (value) => {
    expect(() => lifetimeSeconds(value)).toThrow(TokenRequestError);
  });

  it('reads CLI (kebab-case) and JSON (camelCase) option names alike', () => {
    expect(tokenOptionsFrom({ role: 'patient', 'fhir-user': 'Patient/1', 'expires-in': '2h' })).toEqual({ role: 'patient', fhirUser: 'Patient/1', expiresIn: '2h' });
    expect(tokenOptionsFrom({ role: 'patient', fhirUser: 'Patient/1', expiresIn: 60 })).toEqual({ role: 'patient', fhirUser: 'Patient/1', expiresIn: 60 });
  });

  it('refuses unknown options, non-string values and a missing role', () => {
    expect(() => tokenOptionsFrom({ role: 'admin', password: 'x' })).toThrow(/unknown token option "password"/);
    expect(() => tokenOptionsFrom({ role: 'admin', rpps: 10000000001 })).toThrow(/"rpps" must be a string/);
    expect(() => tokenOptionsFrom({})).toThrow(/a role is required/);
    expect(() => tokenOptionsFrom('admin')).toThrow(TokenRequestError);
  });
});
