import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { extractIndex } from './index-values.js';
test('x', () => {
  const docs = readFileSync('/work/shared/corpus/synthea-r4-bulk-ndjson-10-patients/DocumentReference.000.ndjson', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  for (let round = 0; round < 4; round++) {
    const t0 = performance.now(); for (const d of docs) extractIndex(d);
    console.log('µs per DocumentReference', ((performance.now() - t0) * 1000 / docs.length).toFixed(1));
  }
  console.log(JSON.stringify(extractIndex({ resourceType: 'Patient', name: [{ text: '' }] } as never)));
});
