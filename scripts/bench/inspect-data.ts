import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Resource } from 'fhir/r4';
import { extractAccessFacts, type SecFacts } from '../../src/access/facts.js';
import { validationReport } from '../../src/validation/validate.js';
import { DEFAULT_NOW } from './generate.js';
import { insKey } from './ins.js';
import { patientRecord } from './patient-record.js';
import { buildPool } from './pool.js';

/**
 * `npx tsx scripts/bench/inspect-data.ts [--patients 2000] [--seed S]`: what the generator makes,
 * without writing anything: resources per type, the document families and labels as the server's
 * own `extractAccessFacts` classifies them, INS keys checked, a sample run through the server's
 * validation (R4 schema and invariants), and a digest of the data (same seed, same digest).
 */

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '2000' },
    'docs-per-patient': { type: 'string', default: '25' },
    seed: { type: 'string', default: 'dmp-bench' },
    validate: { type: 'string', default: '200' },
  },
});
const patients = Number(values.patients);
const pool = buildPool(values.seed!, patients, 50);
const types = new Map<string, number>();
const families = new Map<string, number>();
const labels = new Map<string, number>();
const invalid = new Map<string, number>();
const digest = createHash('sha256');
const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
let documents = 0;
let badIns = 0;

for (let i = 0; i < patients; i++) {
  const record = patientRecord(pool, i, { seed: values.seed!, docsPerPatient: Number(values['docs-per-patient']), now: DEFAULT_NOW, binaries: false });
  for (const seed of record.seeds) {
    const resource = seed.resource as Resource & { identifier?: Array<{ value?: string }> };
    digest.update(JSON.stringify(resource));
    bump(types, resource.resourceType);
    if (resource.resourceType === 'Patient') {
      const ins = resource.identifier?.[0]?.value ?? '';
      if (ins.length !== 15 || insKey(ins.slice(0, 13)) !== ins.slice(13)) badIns++;
    }
    if (i < Number(values.validate)) {
      const report = validationReport(resource.resourceType, { ...resource, meta: { versionId: String(seed.versionId), lastUpdated: seed.at.toISOString() } } as Resource);
      for (const issue of report.issues) if (issue.severity === 'error' || issue.severity === 'fatal') bump(invalid, `${resource.resourceType}: ${issue.diagnostics}`);
    }
    if (resource.resourceType === 'DocumentReference' && seed.versionId === 1) {
      const facts = extractAccessFacts(resource) as SecFacts;
      bump(families, facts.family ?? '(none)');
      for (const label of facts.labels ?? ['(none)']) bump(labels, label);
      documents++;
    }
  }
}
const share = (map: Map<string, number>, total: number) =>
  Object.fromEntries([...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, `${((100 * v) / total).toFixed(1)}%`]));
console.log({ patients, documents, badIns, digest: digest.digest('hex').slice(0, 16) });
console.log('resources', Object.fromEntries(types));
console.log('families', share(families, documents));
console.log('labels', share(labels, documents));
console.log('professionals by profession', Object.fromEntries([...pool.byProfession].map(([k, v]) => [k, v.length])));
console.log(`validation errors in the first ${values.validate} holders:`, invalid.size ? Object.fromEntries(invalid) : 'none');
