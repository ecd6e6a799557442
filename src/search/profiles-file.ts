import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads a JSON file of `profiles/`. The folder sits at the project root, two levels above this file
 * when run from `src/` (tsx, vitest) and three when run from the build (`dist/src/`), so both are tried.
 */
export function readProfile<T>(name: string): T {
  for (const up of ['../../profiles/', '../../../profiles/']) {
    const file = fileURLToPath(new URL(up + name, import.meta.url));
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  }
  throw new Error(`profiles/${name} not found next to the server`);
}
