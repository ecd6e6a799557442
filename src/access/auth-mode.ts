import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import type { Config } from '../config.js';
import { DEV_AUDIENCE, DEV_ISSUER, DEV_TOKEN_TYPE, devKeyPath, loadDevKeys } from './dev-keys.js';
import { publicJwks } from './jwks-file.js';
import { createTokenVerifier, type TokenVerifier } from './token-verifier.js';

export interface AuthModeReport {
  mode: Config['auth']['mode'];
  /** Development mode is a warning: anyone who reaches the server can mint any identity. */
  level: 'warn' | 'info';
  message: string;
}

/** One log line saying how tokens are verified, for the start-up log (D1). */
export function authMode(config: Config): AuthModeReport {
  const auth = config.auth;
  switch (auth.mode) {
    case 'development':
      return {
        mode: auth.mode,
        level: 'warn',
        message:
          '!!! DEVELOPMENT AUTH MODE: tokens are signed with a local key ' +
          `(${devKeyPath(config.dataDir)}) and anyone can mint any identity with \`npm run token\` or POST /dev/token. ` +
          'Never put real patient data behind this server. Set AUTH_JWKS_URL or AUTH_JWKS_FILE, AUTH_ISSUER and ' +
          'AUTH_AUDIENCE to verify tokens of a real identity provider. !!!',
      };
    case 'jwks-url':
      return { mode: auth.mode, level: 'info', message: `tokens verified with the keys at ${auth.jwksUrl} (issuer ${auth.issuer}, audience ${auth.audience})` };
    case 'jwks-file':
      return { mode: auth.mode, level: 'info', message: `tokens verified with the keys of ${auth.jwksFile} (issuer ${auth.issuer}, audience ${auth.audience})` };
  }
}

/** The verifier of the configured mode; in development mode this creates the DATA_DIR key if needed. */
export async function verifierForConfig(config: Config, options: { clock?: () => Date } = {}): Promise<TokenVerifier> {
  const auth = config.auth;
  const common = { baseUrl: config.baseUrl, clockToleranceSeconds: auth.clockToleranceSeconds, clock: options.clock };
  switch (auth.mode) {
    case 'development': {
      const keys = await loadDevKeys(config.dataDir);
      return createTokenVerifier({
        ...common,
        keys: createLocalJWKSet({ keys: [keys.publicJwk] }),
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        typ: DEV_TOKEN_TYPE,
      });
    }
    case 'jwks-file':
      return createTokenVerifier({ ...common, keys: createLocalJWKSet(auth.jwks), issuer: auth.issuer, audience: auth.audience });
    case 'jwks-url':
      // jose caches the fetched set (keys are fixed by the token alone, D30) and refetches on an unknown kid.
      return createTokenVerifier({ ...common, keys: createRemoteJWKSet(new URL(auth.jwksUrl)), issuer: auth.issuer, audience: auth.audience });
  }
}

/**
 * What `/.well-known/jwks.json` publishes: the development key, or the public members of the
 * configured file. `undefined` with a JWKS URL: the identity provider publishes its own keys there,
 * and echoing them would make this server look like their source.
 */
export async function publishedJwks(config: Config): Promise<JSONWebKeySet | undefined> {
  const auth = config.auth;
  if (auth.mode === 'development') return { keys: [(await loadDevKeys(config.dataDir)).publicJwk] };
  if (auth.mode === 'jwks-file') return publicJwks(auth.jwks);
  return undefined;
}
