import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ERROR_CODE_SYSTEM, FhirError, forbidden, unauthorized } from '../fhir/errors.js';
import type { AccessContext } from './access-context.js';
import { InvalidClaimsError, UnrecognisedRoleError, contextFromClaims } from './token-claims.js';

/**
 * Asymmetric signatures only: `none` and HS* are never accepted, so a public key can never be
 * used as an HMAC secret. Options may narrow this list, never widen it.
 */
export const ACCEPTED_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenVerifierOptions {
  /** Where verification keys come from: `createLocalJWKSet(…)` or `createRemoteJWKSet(…)`. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  /** This server's FHIR base URL: a `fhirUser` under it is read as a relative reference. */
  baseUrl: string;
  clockToleranceSeconds?: number;
  algorithms?: readonly string[];
  /** When set, the JWT `typ` header must equal it (e.g. `at+jwt`). */
  typ?: string;
  /** "Now" for `exp`/`nbf`; tests move it. */
  clock?: () => Date;
  /** How many verified tokens are kept until they expire; 0 verifies every request. */
  cacheSize?: number;
}

export interface TokenVerifier {
  /** The caller's context; rejects with a FhirError: 401 bad token, 403 unknown role, 503 keys unreachable. */
  verify(token: string): Promise<AccessContext>;
}

/** Three base64url parts; a JWE (five parts) or anything else is refused before any parsing. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Key-lookup failures that are the token's fault; any other one means the key source is down. */
const TOKEN_KEY_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JWK_INVALID',
]);

class KeysUnavailableError extends Error {}

function keysUnavailable(): FhirError {
  const message = 'the keys that verify tokens cannot be fetched right now; try again shortly';
  return new FhirError(503, 'AUTH_KEYS_UNAVAILABLE', [
    { severity: 'error', code: 'transient', details: { coding: [{ system: ERROR_CODE_SYSTEM, code: 'AUTH_KEYS_UNAVAILABLE' }] }, diagnostics: message },
  ]);
}

/** What went wrong, in words safe to show the caller: claim names, never key material or payloads. */
function reason(err: unknown): string {
  if (!(err instanceof errors.JOSEError)) return 'the token could not be verified';
  switch (err.code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED': {
      const { claim, reason: why } = err as errors.JWTClaimValidationFailed;
      if (why === 'missing') return `the token has no "${claim}" claim`;
      if (claim === 'nbf') return 'the token is not valid yet (nbf)';
      if (claim === 'iat') return 'the token was issued in the future (iat)';
      if (claim === 'iss') return 'the token was not issued by the trusted issuer (iss)';
      if (claim === 'aud') return 'the token is not meant for this server (aud)';
      if (claim === 'typ') return 'the token has an unexpected type (typ header)';
      return `the token's "${claim}" claim is invalid`;
    }
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token\'s signing algorithm is not accepted (asymmetric algorithms only)';
    case 'ERR_JOSE_NOT_SUPPORTED':
      return 'the token\'s signing algorithm or key type is not supported';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no trusted key matches the token (kid, alg)';
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'several trusted keys match the token: it must name its key (kid)';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'the token\'s signature is not valid';
    default:
      return 'the token is malformed';
  }
}

export const DEFAULT_TOKEN_CACHE_SIZE = 10_000;

/** A verified token: its caller and the times (NumericDate, seconds) between which it stays valid. */
interface Verified {
  context: AccessContext;
  exp: number;
  nbf?: number;
}

/**
 * Verified tokens by their compact string, until their `exp` (D30: the caller is what the token
 * alone says, so a signature is checked once per token, not once per request). Only successes are
 * kept; the time checks are redone on every use with jose's rules and tolerance, so an expired
 * token is verified again (and refused) exactly as an uncached one. A token verified before its
 * signing key left the JWKS stays accepted until its `exp`. Full: expired entries go first, then
 * the oldest.
 */
function tokenCache(size: number, tolerance: number) {
  const entries = new Map<string, Verified>();
  const valid = (entry: Verified, now: number) => entry.exp > now - tolerance && (entry.nbf === undefined || entry.nbf <= now + tolerance);
  return {
    get(token: string, now: number): AccessContext | undefined {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (valid(entry, now)) return entry.context;
      entries.delete(token);
      return undefined;
    },
    set(token: string, payload: JWTPayload, context: AccessContext, now: number): void {
      if (size <= 0 || typeof payload.exp !== 'number') return;
      if (entries.size >= size) {
        for (const [key, entry] of entries) if (!valid(entry, now)) entries.delete(key);
        if (entries.size >= size) entries.delete(entries.keys().next().value!);
      }
      entries.set(token, { context, exp: payload.exp, ...(typeof payload.nbf === 'number' ? { nbf: payload.nbf } : {}) });
    },
  };
}

/** Callers are shared by every request bearing the same token: nothing may change them. */
function frozen(context: AccessContext): AccessContext {
  for (const scope of context.scopes ?? []) Object.freeze(scope);
  if (context.scopes) Object.freeze(context.scopes);
  return Object.freeze(context);
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const algorithms = (options.algorithms ?? ACCEPTED_ALGORITHMS).filter((alg) =>
    (ACCEPTED_ALGORITHMS as readonly string[]).includes(alg),
  );
  if (!algorithms.length) throw new Error('the token verifier needs at least one accepted asymmetric algorithm');
  const clock = options.clock ?? (() => new Date());
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const cache = tokenCache(options.cacheSize ?? DEFAULT_TOKEN_CACHE_SIZE, tolerance);

  const keys: JWTVerifyGetKey = async (header, token) => {
    try {
      return await options.keys(header, token);
    } catch (err) {
      if (err instanceof errors.JOSEError && TOKEN_KEY_ERRORS.has(err.code)) throw err;
      throw new KeysUnavailableError('key source unavailable', { cause: err });
    }
  };

  return {
    async verify(token) {
      const currentDate = clock();
      const now = Math.floor(currentDate.getTime() / 1000);
      const known = cache.get(token, now);
      if (known) return known;
      if (!COMPACT_JWS.test(token)) throw unauthorized('INVALID_TOKEN', 'the bearer token is not a signed JWT (header.payload.signature)');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms,
          issuer: options.issuer,
          audience: options.audience,
          typ: options.typ,
          clockTolerance: tolerance,
          currentDate,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        if (err instanceof KeysUnavailableError) throw keysUnavailable();
        throw unauthorized('INVALID_TOKEN', reason(err));
      }
      try {
        const context = frozen(contextFromClaims(payload, { baseUrl: options.baseUrl }));
        cache.set(token, payload, context, now);
        return context;
      } catch (err) {
        if (err instanceof UnrecognisedRoleError) throw forbidden('ROLE_NOT_RECOGNISED', err.message, 'R1.3');
        if (err instanceof InvalidClaimsError) throw unauthorized('INVALID_TOKEN', err.message);
        throw err;
      }
    },
  };
}
