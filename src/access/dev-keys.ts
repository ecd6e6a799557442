import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * The development signing identity (D1): one ES256 key pair kept in DATA_DIR so that tokens minted
 * by `npm run token`, by tests and by `POST /dev/token` keep verifying across restarts, and the
 * fixed issuer and audience such tokens carry. The audience is a fixed string rather than the FHIR
 * base URL so that a token minted in a shell with another PORT or FHIR_BASE_URL still works.
 */
export const DEV_KEY_FILE = 'dev-signing-key.json';
export const DEV_ALGORITHM = 'ES256';
export const DEV_ISSUER = 'dmp-fhir-server-dev';
export const DEV_AUDIENCE = 'dmp-fhir-server-dev';
/** RFC 9068 access-token type; development tokens carry it and the development verifier requires it. */
export const DEV_TOKEN_TYPE = 'at+jwt';

export interface DevKeys {
  privateKey: CryptoKey;
  /** The public half as published at `/.well-known/jwks.json`. */
  publicJwk: JWK;
  kid: string;
}

export function devKeyPath(dataDir: string): string {
  return path.join(dataDir, DEV_KEY_FILE);
}

async function newKeyText(): Promise<string> {
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  return `${JSON.stringify({ ...jwk, kid, alg: DEV_ALGORITHM, use: 'sig' }, null, 2)}\n`;
}

/**
 * Writes the key only if none exists, atomically: the complete file is written under a temporary
 * name and hard-linked into place, which fails if another process (the server and the CLI started
 * together) got there first; then both use the winner's key.
 */
async function createIfMissing(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const text = await newKeyText();
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, text, { flag: 'wx', mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Some file systems have no hard links: an exclusive create is the next best thing.
    if (code !== 'EEXIST') await writeFile(file, text, { flag: 'wx', mode: 0o600 }).catch(ignoreExists);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

function ignoreExists(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EEXIST') throw err;
}

async function readKey(file: string): Promise<DevKeys> {
  const broken = `${file} is not a valid ${DEV_ALGORITHM} private key; delete it and a new one is created`;
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err;
    throw new Error(broken);
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.x || !jwk.y || typeof jwk.kid !== 'string') throw new Error(broken);
  const privateKey = (await importJWK(jwk, DEV_ALGORITHM)) as CryptoKey;
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: jwk.kid, alg: DEV_ALGORITHM, use: 'sig' };
  return { privateKey, publicJwk, kid: jwk.kid };
}

/** The development key of `dataDir`, created on first use and reused ever after. */
export async function loadDevKeys(dataDir: string): Promise<DevKeys> {
  const file = devKeyPath(dataDir);
  try {
    return await readKey(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await createIfMissing(file);
  return readKey(file);
}
