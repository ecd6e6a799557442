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

describe('token verifier cache (D30)', () => {
  /** A key source that counts its look-ups: one per signature actually checked. */
  function counting() {
    const local = createLocalJWKSet({ keys: [publicJwk] });
    const calls = { count: 0 };
    const keys: TokenVerifierOptions['keys'] = (header, token) => {
      calls.count++;
      return local(header, token);
    };
    return { keys, calls };
  }

  it("checks a token's signature once, then answers the same frozen caller until it expires", async () => {
    const { keys, calls } = counting();
    let now = NOW;
    const v = verifier({ keys, clock: () => now, clockToleranceSeconds: 30 });
    const token = await sign({ scope: 'user/*.read' });
    const first = await v.verify(token);
    expect(await v.verify(token)).toBe(first);
    expect(calls.count).toBe(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first.scopes)).toBe(true);

    now = new Date(NOW.getTime() + (600 + 20) * 1000); // within the tolerance: still valid, still cached
    expect((await v.verify(token)).sub).toBe('ops-1');
    expect(calls.count).toBe(1);
    now = new Date(NOW.getTime() + (600 + 40) * 1000);
    expect((await refusal(v.verify(token))).issues[0]!.diagnostics).toBe('the token has expired');
  });

  it('does not accept a cached token before its nbf when the clock goes back', async () => {
    let now = NOW;
    const v = verifier({ clock: () => now, clockToleranceSeconds: 0 });
    const token = await sign({ nbf: seconds(NOW) });
    expect((await v.verify(token)).sub).toBe('ops-1');
    now = new Date(NOW.getTime() - 60_000);
    expect((await refusal(v.verify(token))).issues[0]!.diagnostics).toBe('the token is not valid yet (nbf)');
  });

  it('keeps no refusal: a bad token is checked, and refused, every time', async () => {
    const { keys, calls } = counting();
    const v = verifier({ keys });
    const token = await sign({ dmp_role: 'professional' });
    for (let i = 0; i < 2; i++) expect(await refusal(v.verify(token))).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(calls.count).toBe(2);
  });

  it('holds at most cacheSize tokens, and none with cacheSize 0', async () => {
    const { keys, calls } = counting();
    const v = verifier({ keys, cacheSize: 1 });
    const [a, b] = [await sign({ sub: 'a' }), await sign({ sub: 'b' })];
    await v.verify(a);
    await v.verify(b); // a is evicted
    await v.verify(b);
    expect(calls.count).toBe(2);
    expect((await v.verify(a)).sub).toBe('a');
    expect(calls.count).toBe(3);

    const uncached = counting();
    const none = verifier({ keys: uncached.keys, cacheSize: 0 });
    await none.verify(a);
    await none.verify(a);
    expect(uncached.calls.count).toBe(2);
  });
});
