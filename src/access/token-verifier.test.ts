import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { createTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

const ISSUER = 'https://idp.example.fr';
const AUDIENCE = 'https://dmp.example.fr/fhir';
const NOW = new Date('2025-03-01T10:00:00Z');
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

let privateKey: CryptoKey;
let publicJwk: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
});

function sign(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ dmp_role: 'admin', sub: 'ops-1', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', ...header })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(seconds(NOW))
    .setExpirationTime(seconds(NOW) + 600)
    .sign(privateKey);
}

function verifier(options: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({
    keys: createLocalJWKSet({ keys: [publicJwk] }),
    issuer: ISSUER,
    audience: AUDIENCE,
    baseUrl: AUDIENCE,
    clock: () => NOW,
    ...options,
  });
}

async function refusal(promise: Promise<unknown>): Promise<FhirError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FhirError);
  return err as FhirError;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function serveJwks(status = 200): Promise<URL> {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`);
}

describe('token verifier', () => {
  it('accepts a token of the trusted issuer for this audience', async () => {
    expect(await verifier().verify(await sign())).toEqual({ role: 'admin', sub: 'ops-1', breakGlass: false });
  });

  it('honours the clock tolerance on exp, and no more', async () => {
    const token = await sign();
    const at = (offset: number) => () => new Date(NOW.getTime() + (600 + offset) * 1000);
    expect((await verifier({ clock: at(20), clockToleranceSeconds: 30 }).verify(token)).sub).toBe('ops-1');
    const late = await refusal(verifier({ clock: at(40), clockToleranceSeconds: 30 }).verify(token));
    expect(late.issues[0]!.diagnostics).toBe('the token has expired');
  });

  it('refuses a token without expiry', async () => {
    const token = await new SignJWT({ dmp_role: 'admin', sub: 'x' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).sign(privateKey);
    expect((await refusal(verifier().verify(token))).issues[0]!.diagnostics).toBe('the token has no "exp" claim');
  });

  it('checks the typ header when asked to', async () => {
    const err = await refusal(verifier({ typ: 'at+jwt' }).verify(await sign({}, { typ: 'JWT' })));
    expect(err.status).toBe(401);
    expect((await verifier({ typ: 'at+jwt' }).verify(await sign({}, { typ: 'at+jwt' }))).role).toBe('admin');
  });

  it('cannot be configured to accept an algorithm outside the asymmetric allow-list', () => {
    expect(() => verifier({ algorithms: ['HS256', 'none'] })).toThrow(/at least one accepted asymmetric algorithm/);
  });

  it('refuses a token signed with an algorithm it was narrowed away from', async () => {
    const err = await refusal(verifier({ algorithms: ['RS256'] }).verify(await sign()));
    expect(err.issues[0]!.diagnostics).toMatch(/signing algorithm is not accepted/);
  });

  it('answers 403 naming R1.3 to a valid token of a role outside R1.1', async () => {
    const err = await refusal(verifier().verify(await sign({ dmp_role: 'employer' })));
    expect(err).toMatchObject({ status: 403, code: 'ROLE_NOT_RECOGNISED', rule: 'R1.3' });
  });

  it('answers 401 to a verified token whose claims break D3', async () => {
    const err = await refusal(verifier().verify(await sign({ dmp_role: 'professional' })));
    expect(err).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(err.issues[0]!.diagnostics).toMatch(/needs an "rpps" claim/);
  });

  it('fetches keys from a JWKS URL', async () => {
    const url = await serveJwks();
    expect((await verifier({ keys: createRemoteJWKSet(url) }).verify(await sign())).sub).toBe('ops-1');
  });

  it('answers 503, not 401, when the JWKS URL cannot be fetched', async () => {
    const url = await serveJwks(500);
    const err = await refusal(verifier({ keys: createRemoteJWKSet(url) }).verify(await sign()));
    expect(err).toMatchObject({ status: 503, code: 'AUTH_KEYS_UNAVAILABLE' });
  });

  it('still answers 401 to a token naming a key the JWKS URL does not have', async () => {
    const url = await serveJwks();
    const err = await refusal(verifier({ keys: createRemoteJWKSet(url) }).verify(await sign({}, { kid: 'other' })));
    expect(err).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(err.issues[0]!.diagnostics).toMatch(/no trusted key matches/);
  });
});
