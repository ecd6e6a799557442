import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../config.js';
import { DEV_ALGORITHM, DEV_AUDIENCE, DEV_ISSUER, DEV_TOKEN_TYPE, loadDevKeys } from './dev-keys.js';
import { InvalidClaimsError, UnrecognisedRoleError, contextFromClaims } from './token-claims.js';

/** What `npm run token`, `POST /dev/token` and tests may ask for (D4); each maps to one claim. */
export interface TokenOptions {
  /** `dmp_role`. A role outside R1.1 is minted too, so that R1.3 (it gets nothing) can be shown. */
  role: string;
  /** Defaults to `fhirUser`, else `rpps-<rpps>`, else `dev-<role>` (D3). */
  sub?: string;
  fhirUser?: string;
  rpps?: string;
  profession?: string;
  specialty?: string;
  organization?: string;
  /** `purpose_of_use`: `TREAT`, `ETREAT` or `BTG`. */
  purpose?: string;
  /** Space-separated SMART scopes; omitted means no `scope` claim (no bound). */
  scope?: string;
  /** Seconds, or `30s`, `15m`, `1h`, `7d`; default `1h`, at most 365 days. */
  expiresIn?: string | number;
}

/** The request cannot be turned into a token; the message says why, for a CLI user or a 400. */
export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
}

const DEFAULT_LIFETIME_SECONDS = 3600;
const MAX_LIFETIME_SECONDS = 365 * 24 * 3600;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Token lifetime in seconds. */
export function lifetimeSeconds(expiresIn: string | number | undefined): number {
  if (expiresIn === undefined) return DEFAULT_LIFETIME_SECONDS;
  const match = /^(\d+)\s*([smhd]?)$/.exec(String(expiresIn).trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] || 's']! : NaN;
  if (!(seconds > 0 && seconds <= MAX_LIFETIME_SECONDS)) {
    throw new TokenRequestError(`expires-in must be a positive duration such as 3600, 15m, 1h or 7d (at most 365d), got "${expiresIn}"`);
  }
  return seconds;
}

/** The option → claim names; the two forms of each key are the CLI's (kebab) and JSON's (camel). */
const KEYS: Record<string, keyof TokenOptions> = {
  role: 'role',
  sub: 'sub',
  fhirUser: 'fhirUser',
  'fhir-user': 'fhirUser',
  rpps: 'rpps',
  profession: 'profession',
  specialty: 'specialty',
  organization: 'organization',
  purpose: 'purpose',
  scope: 'scope',
  expiresIn: 'expiresIn',
  'expires-in': 'expiresIn',
};

/** Token options from CLI arguments or a JSON body; unknown keys and non-string values are refused. */
export function tokenOptionsFrom(input: unknown): TokenOptions {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new TokenRequestError('expected an object of token options');
  const options: Partial<Record<keyof TokenOptions, string | number>> = {};
  for (const [key, value] of Object.entries(input)) {
    const option = KEYS[key];
    if (!option) throw new TokenRequestError(`unknown token option "${key}"; known: ${Object.keys(KEYS).join(', ')}`);
    if (value === undefined || value === null) continue;
    const numeric = option === 'expiresIn' && typeof value === 'number';
    if (typeof value !== 'string' && !numeric) throw new TokenRequestError(`token option "${key}" must be a string`);
    options[option] = value;
  }
  if (typeof options.role !== 'string' || !/^[a-z][a-z0-9-]{0,39}$/.test(options.role)) {
    throw new TokenRequestError('a role is required (--role professional, patient, …: lower-case letters, digits and dashes)');
  }
  return options as TokenOptions;
}

function claimsOf(options: TokenOptions): JWTPayload {
  const sub = options.sub ?? options.fhirUser ?? (options.rpps ? `rpps-${options.rpps}` : `dev-${options.role}`);
  const claims: JWTPayload = {
    dmp_role: options.role,
    sub,
    fhirUser: options.fhirUser,
    rpps: options.rpps,
    profession: options.profession,
    specialty: options.specialty,
    organization: options.organization,
    purpose_of_use: options.purpose,
    scope: options.scope,
  };
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

/**
 * A development token signed with the DATA_DIR key (D1, D4). Its claims are checked exactly as the
 * verifier will check them, so a token that would be refused is never handed out.
 */
export async function mintDevToken(config: Config, options: TokenOptions, now: Date = new Date()): Promise<string> {
  if (config.auth.mode !== 'development') {
    throw new TokenRequestError('development tokens exist only in development mode (no AUTH_* variable set)');
  }
  const lifetime = lifetimeSeconds(options.expiresIn);
  const claims = claimsOf(options);
  try {
    contextFromClaims(claims, { baseUrl: config.baseUrl });
  } catch (err) {
    if (err instanceof InvalidClaimsError) throw new TokenRequestError(err.message);
    if (!(err instanceof UnrecognisedRoleError)) throw err;
  }
  const keys = await loadDevKeys(config.dataDir);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: keys.kid, typ: DEV_TOKEN_TYPE })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + lifetime)
    .setJti(randomUUID())
    .sign(keys.privateKey);
}
