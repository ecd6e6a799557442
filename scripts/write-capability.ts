/** Regenerates capability/CapabilityStatement.json from the registry (`npm run capability`). */
import { writeFile } from 'node:fs/promises';
import { capabilityStatement } from '../src/fhir/capability.js';

const target = new URL('../capability/CapabilityStatement.json', import.meta.url);
await writeFile(target, `${JSON.stringify(capabilityStatement('http://localhost:8080/fhir'), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
