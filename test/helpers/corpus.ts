import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared public corpus, read in place beside the repository (never copied into it). */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

export interface CorpusFile {
  file: string;
  resource: { resourceType: string; id?: string; [key: string]: unknown };
}

/** Every official R4 example of the given types, from `corpus/r4-examples/<Type>/`. */
export function r4Examples(types: readonly string[]): CorpusFile[] {
  return types.flatMap((type) => {
    const dir = `${CORPUS}r4-examples/${type}/`;
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    } catch {
      return [];
    }
    return files.map((file) => ({ file: `${type}/${file}`, resource: JSON.parse(readFileSync(dir + file, 'utf8')) }));
  });
}

/** One NDJSON file of the Synthea bulk set, parsed. */
export function syntheaNdjson(type: string): Array<Record<string, unknown>> {
  const text = readFileSync(`${CORPUS}synthea-r4-bulk-ndjson-10-patients/${type}.000.ndjson`, 'utf8');
  return text.split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
}
