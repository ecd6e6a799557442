import type { DocumentReference } from 'fhir/r4';
import { expect, it } from 'vitest';
import { read } from './helpers.js';
import { labelsOf } from './resources.js';
import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: professionals, blocking and emergency access', ROW_GROUPS.professionals, (world) => {
  it('R5.4 shows professionals a document hidden from reps with its label, so they know its status', async () => {
    const w = world();
    const res = await read<DocumentReference>(w, 'nurse', `DocumentReference/${w.id('d-hidden-from-reps')}`);
    expect(res.status).toBe(200);
    expect(labelsOf(res.body)).toEqual(['INVISIBLE_REPRESENTANTS_LEGAUX']);
  });

  it('R3.3 R5.1 shows the DMP GP a masked document with its label', async () => {
    const w = world();
    const res = await read<DocumentReference>(w, 'gp', `DocumentReference/${w.id('a-synthesis-masked-by-nurse')}`);
    expect(res.status).toBe(200);
    expect(labelsOf(res.body)).toEqual(['MASQUE_PS']);
  });
});
