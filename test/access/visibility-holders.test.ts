import { expect, it } from 'vitest';
import { read } from './helpers.js';
import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: holders and reps', ROW_GROUPS.holders, (world) => {
  it('R5.5 answers a rep’s read of a document hidden from reps exactly as an unknown id, naming nothing of it', async () => {
    const w = world();
    const hidden = await read(w, 'danMother', `DocumentReference/${w.id('d-hidden-from-reps')}`);
    const unknown = await read(w, 'danMother', 'DocumentReference/no-such-document');
    expect([hidden.status, unknown.status]).toEqual([404, 404]);
    expect(hidden.text.replace(w.id('d-hidden-from-reps'), 'X')).toBe(unknown.text.replace('no-such-document', 'X'));
    expect(hidden.text).not.toMatch(/d-hidden-from-reps|11488-4|INVISIBLE/);
  });

  it('R5.5 answers the holder’s read of the Binary of an unreleased result exactly as an unknown Binary', async () => {
    const w = world();
    const hidden = await read(w, 'alice', `Binary/${w.id('bin-a-lab-unreleased')}`);
    const unknown = await read(w, 'alice', 'Binary/no-such-binary');
    expect([hidden.status, unknown.status]).toEqual([404, 404]);
    expect(hidden.text.replace(w.id('bin-a-lab-unreleased'), 'X')).toBe(unknown.text.replace('no-such-binary', 'X'));
  });
});
