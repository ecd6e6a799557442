import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { parseJwks } from './access/jwks-file.js';

/**
 * The only place that reads `process.env`. Each variable is declared once with its type, default and
 * a one-line description (the README table is written from these); `loadConfig` validates them all
 * and the server refuses to start on a bad value.
 */

export interface Config {
  port: number;
  host: string;
  /** Public base of the FHIR API, without trailing slash: used in fullUrl, Location and links. */
  baseUrl: string;
  dataDir: string;
  mongodbUri?: string;
  mongodbDb: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  maxBodyBytes: number;
  searchDefaultCount: number;
  searchMaxCount: number;
  production: boolean;
  auth: AuthConfig;
  /** Where notifications are POSTed; unset: they are logged. */
  notifyWebhookUrl?: string;
  /** D5: the first start on an empty store loads the demo data (`npm run seed` always does). */
  seedDemo: boolean;
  /** D17: the Assurance Maladie Organization the server names as author of `insurer-feed` deposits. */
  insurer: { finess: string; name: string };
  /** Origins allowed by CORS; empty: CORS is off (no Access-Control-* header); `['*']`: any origin. */
  corsOrigins: string[];
  /** Failed authentications one client address may make per minute before getting 429. */
  authFailureRateLimit: number;
  /**
   * Fastify's `trustProxy`: whose X-Forwarded-For gives the client address (rate limit, logs,
   * AuditEvent). `false`: the socket's peer is the client; `true`: any; a number: that many hops;
   * a list: proxies at these addresses or CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** OAuth endpoints of the identity provider, published in SMART discovery (development: /dev/token). */
  smart: { authorizeUrl?: string; tokenUrl?: string };
}

/**
 * How bearer tokens are verified (D1). `development`: no AUTH_* variable is set, tokens are signed
 * with a key this server generates in DATA_DIR. Otherwise keys come from a JWKS URL or file.
 */
export type AuthConfig =
  | { mode: 'development'; clockToleranceSeconds: number }
  | { mode: 'jwks-url'; jwksUrl: string; issuer: string; audience: string; clockToleranceSeconds: number }
  | { mode: 'jwks-file'; jwksFile: string; jwks: JSONWebKeySet; issuer: string; audience: string; clockToleranceSeconds: number };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

interface VariableDoc {
  name: string;
  default: string;
  doc: string;
}

export const VARIABLES: VariableDoc[] = [
  { name: 'PORT', default: '8080', doc: 'TCP port the server listens on.' },
  { name: 'HOST', default: '0.0.0.0', doc: 'Interface the server listens on.' },
  { name: 'FHIR_BASE_URL', default: 'http://localhost:$PORT/fhir', doc: 'Public base URL of the FHIR API, used in fullUrl, Location and links.' },
  { name: 'DATA_DIR', default: './data', doc: 'Folder of the embedded store (and of the development signing key).' },
  { name: 'MONGODB_URI', default: '(unset)', doc: 'When set, MongoDB (a replica set) is the store instead of the embedded one.' },
  { name: 'MONGODB_DB', default: 'dmp', doc: 'Database name on MongoDB.' },
  { name: 'LOG_LEVEL', default: 'info', doc: 'fatal, error, warn, info, debug, trace or silent.' },
  { name: 'MAX_BODY_BYTES', default: '33554432', doc: 'Largest accepted request body (32 MiB); larger bodies get 413.' },
  { name: 'SEARCH_DEFAULT_COUNT', default: '20', doc: 'Page size of a search without _count.' },
  { name: 'SEARCH_MAX_COUNT', default: '1000', doc: 'Largest _count honoured; larger values are lowered to it.' },
  { name: 'NODE_ENV', default: 'development', doc: 'production refuses to start without AUTH_* variables.' },
  { name: 'NOTIFY_WEBHOOK_URL', default: '(unset)', doc: 'When set, notifications to holders are POSTed there as JSON (retried with backoff); otherwise they are logged.' },
  { name: 'SEED_DEMO', default: 'true', doc: 'true: the first start on an empty store loads the demo DMPs (D5); false: never (npm run seed still does).' },
  { name: 'INSURER_ORGANIZATION_FINESS', default: '750000093', doc: 'FINESS of the Assurance Maladie Organization named as author of insurer-feed deposits (D17); created at boot if absent.' },
  { name: 'INSURER_ORGANIZATION_NAME', default: 'Assurance Maladie', doc: 'Name of that Organization.' },
  { name: 'CORS_ORIGINS', default: '(unset: CORS off)', doc: 'Comma-separated origins allowed to call the API from a browser (https://app.example), or * for any; unset: no CORS headers.' },
  { name: 'AUTH_FAILURE_RATE_LIMIT', default: '20', doc: 'Failed authentications allowed per client address per minute; beyond, 429 with Retry-After.' },
  { name: 'TRUST_PROXY', default: 'false', doc: 'Behind a reverse proxy: whose X-Forwarded-For gives the client address (auth-failure limit, logs, AuditEvent). Comma-separated proxy addresses/CIDRs (10.0.0.0/8, loopback); a hop count or true (any peer) only when the server is reachable through the proxies alone; false: the TCP peer is the client.' },
  { name: 'SMART_AUTHORIZE_URL', default: '(unset)', doc: 'authorization_endpoint published in SMART discovery (the identity provider\'s).' },
  { name: 'SMART_TOKEN_URL', default: '(unset; development: /dev/token)', doc: 'token_endpoint published in SMART discovery and the CapabilityStatement.' },
  { name: 'AUTH_JWKS_URL', default: '(unset)', doc: 'URL of the identity provider\'s JWKS (https in production); excludes AUTH_JWKS_FILE.' },
  { name: 'AUTH_JWKS_FILE', default: '(unset)', doc: 'Path of a JWKS JSON file of public keys; excludes AUTH_JWKS_URL.' },
  { name: 'AUTH_ISSUER', default: '(unset)', doc: 'Required iss of tokens; required with a JWKS.' },
  { name: 'AUTH_AUDIENCE', default: '(unset)', doc: 'Required aud of tokens (usually FHIR_BASE_URL); required with a JWKS.' },
  { name: 'AUTH_CLOCK_TOLERANCE_SECONDS', default: '30', doc: 'Clock skew allowed on exp and nbf, 0 to 300.' },
];

/** 9 characters; Corsican départements are `2A` and `2B` (as token-claims.ts checks `organization`). */
const FINESS = /^(?:\d{2}|2[AB])\d{7}$/;

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

function insurer(env: Env): Config['insurer'] {
  const finess = env.INSURER_ORGANIZATION_FINESS?.trim() || '750000093';
  if (!FINESS.test(finess)) throw new ConfigError(`INSURER_ORGANIZATION_FINESS must be a 9-character FINESS number, got "${finess}"`);
  const name = env.INSURER_ORGANIZATION_NAME?.trim() || 'Assurance Maladie';
  if (name.length > 200) throw new ConfigError('INSURER_ORGANIZATION_NAME must be at most 200 characters');
  return { finess, name };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(name: string, raw: string, protocols: string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${raw}"`);
  }
  return parsed;
}

function corsOrigins(env: Env): string[] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw) return [];
  const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
  if (origins.includes('*')) {
    if (origins.length > 1) throw new ConfigError('CORS_ORIGINS is either * or a list of origins, not both');
    return ['*'];
  }
  for (const origin of origins) {
    const parsed = url('CORS_ORIGINS', origin, ['http:', 'https:']);
    if (parsed.origin !== origin) throw new ConfigError(`CORS_ORIGINS entries must be bare origins (scheme://host[:port]), got "${origin}"`);
  }
  return origins;
}

/** Names proxy-addr (fastify's trustProxy) knows for address ranges. */
const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: Env): Config['trustProxy'] {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || raw.toLowerCase() === 'false') return false;
  if (raw.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 100) throw new ConfigError(`TRUST_PROXY as a hop count must be between 0 and 100, got ${hops}`);
    return hops === 0 ? false : hops;
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (PROXY_RANGES.includes(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const version = isIP(address ?? '');
    const bits = version === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (version === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        `TRUST_PROXY must be true, false, a hop count or comma-separated IP addresses/CIDRs (or ${PROXY_RANGES.join(', ')}), got "${entry}"`,
      );
    }
  }
  return entries;
}

/**
 * `Config.trustProxy` as fastify's `trustProxy` option. Fastify ignores a bare hop count (it cannot
 * check the immediate peer), so a count becomes "trust the first N addresses, socket peer first":
 * sound only when the server can be reached through those proxies alone.
 */
export function fastifyTrustProxy(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

function optionalUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  url(name, raw, ['http:', 'https:']);
  return raw;
}

/** Any of these set means "verify real tokens"; none set means development mode (D1). */
const AUTH_VARIABLES = ['AUTH_JWKS_URL', 'AUTH_JWKS_FILE', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_CLOCK_TOLERANCE_SECONDS'];

function authConfig(env: Env, production: boolean): AuthConfig {
  const clockToleranceSeconds = integer(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 300);
  if (!AUTH_VARIABLES.some((name) => env[name]?.trim())) {
    if (production) {
      throw new ConfigError(
        'NODE_ENV=production needs real token verification: set AUTH_JWKS_URL (or AUTH_JWKS_FILE), AUTH_ISSUER and AUTH_AUDIENCE. ' +
          'Development mode, where anyone can mint a token, is refused in production.',
      );
    }
    return { mode: 'development', clockToleranceSeconds };
  }
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  const jwksFile = env.AUTH_JWKS_FILE?.trim();
  if (jwksUrl && jwksFile) throw new ConfigError('set AUTH_JWKS_URL or AUTH_JWKS_FILE, not both');
  if (!jwksUrl && !jwksFile) throw new ConfigError('AUTH_* variables are set but neither AUTH_JWKS_URL nor AUTH_JWKS_FILE says where the token keys are');
  const issuer = env.AUTH_ISSUER?.trim();
  const audience = env.AUTH_AUDIENCE?.trim();
  if (!issuer) throw new ConfigError('AUTH_ISSUER is required with a JWKS: tokens of any other issuer are refused');
  if (!audience) throw new ConfigError('AUTH_AUDIENCE is required with a JWKS: tokens meant for another server are refused');
  const common = { issuer, audience, clockToleranceSeconds };
  if (jwksUrl) {
    url('AUTH_JWKS_URL', jwksUrl, production ? ['https:'] : ['https:', 'http:']);
    return { mode: 'jwks-url', jwksUrl, ...common };
  }
  const file = path.resolve(jwksFile!);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`AUTH_JWKS_FILE cannot be read (${file}): ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    return { mode: 'jwks-file', jwksFile: file, jwks: parseJwks(text), ...common };
  } catch (err) {
    throw new ConfigError(`AUTH_JWKS_FILE (${file}) ${(err as Error).message}`);
  }
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST?.trim() || '0.0.0.0';

  const rawBase = env.FHIR_BASE_URL?.trim() || `http://localhost:${port}/fhir`;
  const base = url('FHIR_BASE_URL', rawBase, ['http:', 'https:']);
  if (base.search || base.hash) throw new ConfigError('FHIR_BASE_URL must not carry a query or a fragment');
  const baseUrl = base.toString().replace(/\/+$/, '');

  const mongodbUri = env.MONGODB_URI?.trim() || undefined;
  if (mongodbUri) url('MONGODB_URI', mongodbUri, ['mongodb:', 'mongodb+srv:']);
  const mongodbDb = env.MONGODB_DB?.trim() || 'dmp';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDb)) throw new ConfigError(`MONGODB_DB is not a valid database name: "${mongodbDb}"`);

  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }

  const searchMaxCount = integer(env, 'SEARCH_MAX_COUNT', 1000, 1, 100_000);
  const searchDefaultCount = integer(env, 'SEARCH_DEFAULT_COUNT', 20, 1, searchMaxCount);
  const production = env.NODE_ENV === 'production';

  const notifyWebhookUrl = env.NOTIFY_WEBHOOK_URL?.trim() || undefined;
  if (notifyWebhookUrl) url('NOTIFY_WEBHOOK_URL', notifyWebhookUrl, ['http:', 'https:']);

  return {
    port,
    host,
    baseUrl,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    mongodbUri,
    mongodbDb,
    logLevel,
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 32 * 1024 * 1024, 10 * 1024 * 1024, 1024 * 1024 * 1024),
    searchDefaultCount,
    searchMaxCount,
    production,
    auth: authConfig(env, production),
    ...(notifyWebhookUrl ? { notifyWebhookUrl } : {}),
    seedDemo: boolean(env, 'SEED_DEMO', true),
    insurer: insurer(env),
    corsOrigins: corsOrigins(env),
    authFailureRateLimit: integer(env, 'AUTH_FAILURE_RATE_LIMIT', 20, 1, 100_000),
    trustProxy: trustProxy(env),
    smart: { authorizeUrl: optionalUrl(env, 'SMART_AUTHORIZE_URL'), tokenUrl: optionalUrl(env, 'SMART_TOKEN_URL') },
  };
}
