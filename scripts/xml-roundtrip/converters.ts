import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The FHIR JSON⇄XML converters the trial knows, loaded from a folder outside the project
 * (`npm install <package>` there), so that trying one never makes it a dependency of the server.
 */

export interface Converter {
  name: string;
  version: string;
  jsonToXml(json: string): string;
  xmlToJson(xml: string): string;
}

type Adapter = (module: any) => Pick<Converter, 'jsonToXml' | 'xmlToJson'>;

const ADAPTERS: Record<string, Adapter> = {
  // lantanagroup FHIR.js: R4 definitions bundled, `new Fhir()` serialises with them
  fhir: (module) => {
    const fhir = new module.Fhir();
    return { jsonToXml: (json) => fhir.jsonToXml(json), xmlToJson: (xml) => fhir.xmlToJson(xml) };
  },
};

export const KNOWN_CONVERTERS = Object.keys(ADAPTERS);

/** Resolves `name` from `dir`'s node_modules, as `node` run in `dir` would. */
export function loadConverter(dir: string, name: string): Converter {
  const adapter = ADAPTERS[name];
  if (!adapter) throw new Error(`no adapter for package "${name}"; known: ${KNOWN_CONVERTERS.join(', ')}`);
  const require = createRequire(path.join(path.resolve(dir), 'package.json'));
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`package "${name}" is not installed under ${dir} (run \`npm install ${name}\` there)`);
  }
  return { name, version: packageVersion(entry, name), ...adapter(require(entry)) };
}

/** The version in the package.json of the package that holds `entry`. */
function packageVersion(entry: string, name: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? 'unknown';
  }
  return 'unknown';
}
