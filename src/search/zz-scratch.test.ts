import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { extractIndex } from './index-values.js';
test('x', () => {
  const dir = '/work/shared/corpus/synthea-r4-bulk-ndjson-10-patients/';
  for (const t of ['DocumentReference','Patient','Immunization','AllergyIntolerance','Organization','Practitioner','PractitionerRole']) {
    const rows = readFileSync(dir + t + '.000.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const i = extractIndex(rows[0]);
    const s = JSON.stringify(i); console.log(t, s.length, s.slice(0, 1800));
    for (const r of rows) extractIndex(r);
    const t0 = performance.now(); for (let k = 0; k < 3; k++) for (const r of rows) extractIndex(r);
    console.log(t, 'µs/resource', ((performance.now() - t0) * 1000 / (3 * rows.length)).toFixed(1));
  }
});
