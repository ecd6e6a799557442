import type { JSONWebKeySet, JWK } from 'jose';

/** Asymmetric key types only: an `oct` key would be an HMAC secret, which we never accept (HS*). */
const KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);
/** Members that exist only in private keys. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** Members a published public key may carry (RFC 7517/7518/8037); everything else is dropped. */
const PUBLIC_MEMBERS = ['kty', 'kid', 'use', 'alg', 'key_ops', 'crv', 'x', 'y', 'n', 'e', 'x5c', 'x5t', 'x5t#S256', 'x5u'];

/**
 * A JWKS document of public verification keys, or an Error saying plainly what is wrong with it.
 * Private keys are refused: a verifier has no business holding them, and they must never be
 * republished at `/.well-known/jwks.json`.
 */
export function parseJwks(text: string): JSONWebKeySet {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as { keys?: unknown }).keys)) {
    throw new Error('is not a JWKS: expected an object with a "keys" array');
  }
  const keys = (value as { keys: unknown[] }).keys;
  if (!keys.length) throw new Error('holds no key');
  keys.forEach((key, index) => {
    if (!key || typeof key !== 'object') throw new Error(`key ${index} is not an object`);
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !KEY_TYPES.has(jwk.kty)) {
      throw new Error(`key ${index} has kty "${String(jwk.kty)}": only RSA, EC and OKP public keys are accepted`);
    }
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw new Error(`key ${index} is a private key: give public keys only`);
  });
  return { keys: keys as JWK[] };
}

/** The keys as they may be shown to anyone: public members only. */
export function publicJwks(jwks: JSONWebKeySet): JSONWebKeySet {
  return {
    keys: jwks.keys.map((key) => {
      const entries = Object.entries(key).filter(([member]) => PUBLIC_MEMBERS.includes(member));
      return Object.fromEntries(entries) as JWK;
    }),
  };
}
