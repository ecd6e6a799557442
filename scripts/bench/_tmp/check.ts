import { validationReport } from '../../../src/validation/validate.js';
import { insProblem } from '../../../src/validation/ins.js';
import { buildPool } from '../pool.js';
import { patientRecord } from '../patient-record.js';
import { DEFAULT_NOW } from '../generate.js';
import { extractAccessFacts } from '../../../src/access/facts.js';

const pool = buildPool('dmp-bench', 2000, 50);
const problems = new Map<string, number>();
const families = new Map<string, number>();
const labels = new Map<string, number>();
let count = 0, ins = 0, insBad = 0;
const types = new Map<string, number>();
for (let i = 0; i < 2000; i++) {
  const rec = patientRecord(pool, i, { seed: 'dmp-bench', docsPerPatient: 25, now: DEFAULT_NOW, binaries: i % 10 === 0 });
  for (const s of rec.seeds) {
    types.set(s.resource.resourceType, (types.get(s.resource.resourceType) ?? 0) + 1);
    if (s.resource.resourceType === 'Patient') { ins++; const v = (s.resource as any).identifier[0].value; if (insProblem(v)) { insBad++; console.log('bad INS', v, insProblem(v)); } }
    if (i < 300) {
      const r = validationReport(s.resource.resourceType, { ...s.resource, meta: { versionId: '1', lastUpdated: s.at.toISOString() } } as any);
      if (r.status !== 200) problems.set('status ' + r.status + ' ' + s.resource.resourceType, 1);
      for (const issue of (r as any).issues ?? (r as any).outcome?.issue ?? []) if (issue.severity === 'error' || issue.severity === 'fatal') problems.set(`${s.resource.resourceType}: ${issue.diagnostics}`, (problems.get(`${s.resource.resourceType}: ${issue.diagnostics}`) ?? 0) + 1);
    }
    if (s.resource.resourceType === 'DocumentReference' && s.versionId === 1) {
      const f = extractAccessFacts(s.resource) as any;
      families.set(f.family, (families.get(f.family) ?? 0) + 1);
      for (const l of f.labels ?? ['(none)']) labels.set(l, (labels.get(l) ?? 0) + 1);
      count++;
    }
  }
}
console.log({ ins, insBad, count });
console.log('types', Object.fromEntries(types));
console.log('families', Object.fromEntries([...families].map(([k, v]) => [k, (100 * v / count).toFixed(1) + '%'])));
console.log('labels', Object.fromEntries([...labels].map(([k, v]) => [k, (100 * v / count).toFixed(2) + '%'])));
console.log('validation problems', problems.size, [...problems].slice(0, 20));
console.log('professions', Object.fromEntries([...pool.byProfession].map(([k, v]) => [k, v.length])));
