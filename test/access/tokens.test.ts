import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, base64url, createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, importJWK, jwtVerify, type CryptoKey } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifierForConfig } from '../../src/access/auth-mode.js';
import { DEV_AUDIENCE, DEV_ISSUER, loadDevKeys, type DevKeys } from '../../src/access/dev-keys.js';
import { mintDevToken } from '../../src/access/dev-token.js';
import { loadConfig, type Config } from '../../src/config.js';
import { toOutcome } from '../../src/fhir/outcome.js';
import { unauthorized } from '../../src/fhir/errors.js';
import { registerAuth } from '../../src/http/auth.js';
import { registerDevRoutes } from '../../src/http/dev-routes.js';
import { registerErrorHandling } from '../../src/http/error-handler.js';
import { registerFhirRequest } from '../../src/http/fhir-request.js';

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * A minimal app shaped like the real one: error handling at the root, the token routes at the
 * root, and the auth hook inside the /fhir scope in front of a route that echoes the caller.
 */
async function authApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  registerErrorHandling(app);
  registerDevRoutes(app, config);
  const verifier = await verifierForConfig(config);
  await app.register(
    async (fhir) => {
      registerFhirRequest(fhir);
      registerAuth(fhir, verifier);
      fhir.get('/metadata', async () => ({ resourceType: 'CapabilityStatement' }));
      fhir.get('/Patient', async (request) => request.access);
    },
    { prefix: '/fhir' },
  );
  await app.ready();
  return app;
}

let dataDir: string;
let config: Config;
let app: FastifyInstance;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-tokens-'));
  config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
});
afterEach(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function callPatient(authorization?: string) {
  return app.inject({ method: 'GET', url: '/fhir/Patient', headers: authorization === undefined ? {} : { authorization } });
}

/** A token signed with the development key but claims, header and times of the test's choosing. */
function devSigned(keys: DevKeys, edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt, typ = 'at+jwt'): Promise<string> {
  const now = seconds(new Date());
  const jwt = new SignJWT({ dmp_role: 'admin', sub: 'ops-1' })
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 600);
  return edit(jwt).sign(keys.privateKey);
}

/** The classic key-confusion attack: the public key's bytes used as an HMAC secret. */
function hmacSigned(kid: string, secret: string): Promise<string> {
  return new SignJWT({ dmp_role: 'admin', sub: 'x' })
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

function unsigned(header: Record<string, unknown>, claims: Record<string, unknown>, signature = ''): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${part(header)}.${part(claims)}.${signature}`;
}

describe('bearer tokens over HTTP (R1.1, D1, D2)', () => {
  it('gives a valid development token\'s access context to the route', async () => {
    app = await authApp(config);
    const token = await mintDevToken(config, { role: 'professional', rpps: '10000000001', profession: '10', specialty: 'SM26', purpose: 'ETREAT' });
    const response = await callPatient(`Bearer ${token}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      role: 'professional',
      sub: 'rpps-10000000001',
      rpps: '10000000001',
      profession: '10',
      specialty: 'SM26',
      purposeOfUse: 'ETREAT',
      breakGlass: true,
    });
  });

  it('accepts the scheme name in any case', async () => {
    app = await authApp(config);
    expect((await callPatient(`bearer ${await mintDevToken(config, { role: 'admin' })}`)).statusCode).toBe(200);
  });

  it('leaves the metadata public, with or without trailing slash or query (D2)', async () => {
    app = await authApp(config);
    for (const url of ['/fhir/metadata', '/fhir/metadata/', '/fhir/metadata?_format=json']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });

  it('answers 403 naming R1.3 to a valid token of any other kind of caller', async () => {
    app = await authApp(config);
    const response = await callPatient(`Bearer ${await mintDevToken(config, { role: 'insurer' })}`);
    expect(response.statusCode).toBe(403);
    expect(response.json().issue[0].details.coding[0].code).toBe('ROLE_NOT_RECOGNISED');
  });

  describe('refuses every bad token with 401, WWW-Authenticate: Bearer and an OperationOutcome', () => {
    type Case = [name: string, code: 'MISSING_TOKEN' | 'INVALID_TOKEN', diagnostics: RegExp, header: (keys: DevKeys) => Promise<string | undefined>];
    const bearer = (token: string) => `Bearer ${token}`;
    const otherKey = async () => (await generateKeyPair('ES256')).privateKey;
    const valid = (minutes = 10) => ({ dmp_role: 'admin', sub: 'x', iss: DEV_ISSUER, aud: DEV_AUDIENCE, exp: seconds(new Date()) + minutes * 60 });
    const NOT_JWT = /not a signed JWT/;
    const BAD_HEADER = /must be "Bearer <token>"/;
    const ALG = /signing algorithm is not accepted/;
    const SIGNATURE = /signature is not valid/;
    const cases: Case[] = [
      ['a missing token', 'MISSING_TOKEN', /needs a token/, async () => undefined],
      ['an empty Authorization header', 'MISSING_TOKEN', /needs a token/, async () => ''],
      ['an expired token', 'INVALID_TOKEN', /has expired/, async () => bearer(await mintDevToken(config, { role: 'admin', expiresIn: '1h' }, new Date(Date.now() - 2 * 3600_000)))],
      ['a token not yet valid', 'INVALID_TOKEN', /not valid yet/, async (keys) => bearer(await devSigned(keys, (jwt) => jwt.setNotBefore(seconds(new Date()) + 3600)))],
      ['a token of another issuer', 'INVALID_TOKEN', /issuer/, async (keys) => bearer(await devSigned(keys, (jwt) => jwt.setIssuer('https://evil.example')))],
      ['a token for another audience', 'INVALID_TOKEN', /audience|aud/, async (keys) => bearer(await devSigned(keys, (jwt) => jwt.setAudience('https://other.example/fhir')))],
      ['a token of another type', 'INVALID_TOKEN', /typ/, async (keys) => bearer(await devSigned(keys, undefined, 'JWT'))],
      ['a token signed by another key under the trusted kid', 'INVALID_TOKEN', SIGNATURE, async (keys) => {
        const now = seconds(new Date());
        return bearer(await new SignJWT({ dmp_role: 'admin', sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'at+jwt' }).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setIssuedAt(now).setExpirationTime(now + 600).sign(await otherKey()));
      }],
      ['a token whose claims were changed after signing', 'INVALID_TOKEN', SIGNATURE, async () => {
        const [header, payload, signature] = (await mintDevToken(config, { role: 'patient', fhirUser: 'Patient/1' })).split('.');
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!)));
        return bearer(`${header}.${base64url.encode(JSON.stringify({ ...claims, dmp_role: 'admin' }))}.${signature}`);
      }],
      ['a token with alg none and no signature', 'INVALID_TOKEN', NOT_JWT, async () => bearer(unsigned({ alg: 'none', typ: 'at+jwt' }, valid()))],
      ['a token with alg none and a signature', 'INVALID_TOKEN', ALG, async () => bearer(unsigned({ alg: 'none', typ: 'at+jwt' }, valid(), 'c2ln'))],
      ['an HS256 token keyed with the public JWK', 'INVALID_TOKEN', ALG, async (keys) => bearer(await hmacSigned(keys.kid, JSON.stringify(keys.publicJwk)))],
      ['an HS256 token keyed with the public key PEM', 'INVALID_TOKEN', ALG, async (keys) =>
        bearer(await hmacSigned(keys.kid, await exportSPKI((await importJWK(keys.publicJwk, 'ES256', { extractable: true })) as CryptoKey))),
      ],
      ['a token naming an unknown key id', 'INVALID_TOKEN', /no trusted key matches/, async () =>
        bearer(await new SignJWT({ dmp_role: 'admin', sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: 'unknown', typ: 'at+jwt' }).setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('10m').sign(await otherKey())),
      ],
      ['a Basic Authorization header', 'INVALID_TOKEN', BAD_HEADER, async () => 'Basic YWRtaW46YWRtaW4='],
      ['a Bearer header without token', 'INVALID_TOKEN', BAD_HEADER, async () => 'Bearer'],
      ['a Bearer header with two tokens', 'INVALID_TOKEN', BAD_HEADER, async () => 'Bearer abc def'],
      ['a token without the scheme', 'INVALID_TOKEN', BAD_HEADER, async () => mintDevToken(config, { role: 'admin' })],
      ['garbage', 'INVALID_TOKEN', NOT_JWT, async () => 'Bearer garbage'],
      ['three parts of garbage', 'INVALID_TOKEN', /malformed/, async () => 'Bearer aGVsbG8.d29ybGQ.c2ln'],
      ['an encrypted token (JWE)', 'INVALID_TOKEN', NOT_JWT, async () => 'Bearer eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aGVsbG8.d29ybGQ.c2ln'],
    ];

    it.each(cases)('%s', async (_name, code, diagnostics, header) => {
      app = await authApp(config);
      const response = await callPatient(await header(await loadDevKeys(dataDir)));
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
      const body = response.json();
      expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] });
      expect(body.issue[0].details.coding[0].code).toBe(code);
      expect(body.issue[0].diagnostics).toMatch(diagnostics);
      expect(Object.keys(body).sort()).toEqual(Object.keys(toOutcome(unauthorized(code, 'x')).outcome).sort());
      expect(JSON.stringify(body)).not.toMatch(/"d"|"x":|BEGIN PUBLIC KEY/);
    });
  });

  it('publishes the development public key, which verifies development tokens', async () => {
    app = await authApp(config);
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    const jwks = response.json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0].d).toBeUndefined();
    const { payload } = await jwtVerify(await mintDevToken(config, { role: 'admin' }), createLocalJWKSet(jwks), { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
    expect(payload.dmp_role).toBe('admin');
  });

  it('mints a working token on POST /dev/token in development mode (D4)', async () => {
    app = await authApp(config);
    const response = await app.inject({ method: 'POST', url: '/dev/token', payload: { role: 'patient', fhirUser: 'Patient/p1', expiresIn: '10m' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const echoed = await callPatient(`Bearer ${body.access_token}`);
    expect(echoed.json()).toMatchObject({ role: 'patient', fhirUser: 'Patient/p1' });
  });

  it('answers 400 with an OperationOutcome to a token request that cannot be honoured', async () => {
    app = await authApp(config);
    const response = await app.inject({ method: 'POST', url: '/dev/token', payload: { role: 'professional' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().issue[0].details.coding[0].code).toBe('INVALID_TOKEN_REQUEST');
  });

  describe('with a JWKS file', () => {
    /** An app trusting a JWKS file that holds the public half of the returned identity-provider key. */
    async function jwksFileApp(): Promise<CryptoKey> {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const file = path.join(dataDir, 'jwks.json');
      await writeFile(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', use: 'sig' }] }));
      const external = loadConfig({ DATA_DIR: dataDir, AUTH_JWKS_FILE: file, AUTH_ISSUER: 'https://idp.example.fr', AUTH_AUDIENCE: 'https://dmp.example.fr/fhir' });
      app = await authApp(external);
      return privateKey;
    }

    function idpToken(key: CryptoKey): Promise<string> {
      return new SignJWT({ dmp_role: 'reception', sub: 'agent-7', organization: '750712184' })
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer('https://idp.example.fr')
        .setAudience('https://dmp.example.fr/fhir')
        .setExpirationTime('5m')
        .sign(key);
    }

    it('accepts a token signed by a key of the file', async () => {
      const response = await callPatient(`Bearer ${await idpToken(await jwksFileApp())}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ role: 'reception', sub: 'agent-7', organization: '750712184', breakGlass: false });
    });

    it('refuses a token signed by another key', async () => {
      await jwksFileApp();
      const response = await callPatient(`Bearer ${await idpToken((await generateKeyPair('RS256')).privateKey)}`);
      expect(response.statusCode).toBe(401);
      expect(response.json().issue[0].diagnostics).toBe('the token\'s signature is not valid');
    });

    it('refuses development tokens and has no POST /dev/token', async () => {
      const devToken = await mintDevToken(config, { role: 'admin' });
      await jwksFileApp();
      expect((await callPatient(`Bearer ${devToken}`)).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/dev/token', payload: { role: 'admin' } })).statusCode).toBe(404);
    });

    it('publishes the public keys of the file', async () => {
      await jwksFileApp();
      const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(jwks.keys.map((key: { kid: string }) => key.kid)).toEqual(['idp-1']);
    });
  });

  it('answers 404 for the JWKS with a JWKS URL: the identity provider publishes it', async () => {
    app = await authApp(loadConfig({ AUTH_JWKS_URL: 'https://idp.example.fr/jwks', AUTH_ISSUER: 'https://idp.example.fr', AUTH_AUDIENCE: 'dmp' }));
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(404);
    expect(response.json().issue[0].diagnostics).toContain('https://idp.example.fr/jwks');
  });
});
