import { expect, it } from 'vitest';
import { read } from './helpers.js';
import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: holders, reps, DMP states and roles that read no clinical data', ROW_GROUPS.others, (world) => {
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

  it('R2.2 R2.3 R3.1 R4.5 R7.2 R8.1 R8.4 R8.5 D15 D35 accepted every write that seeded this world, as the roles allowed to make it', () => {
    const steps = world().log.map((s) => `${s.rule} ${s.what} by ${s.by}: ${s.status}`);
    expect(steps.filter((s) => !/: 20[01]$/.test(s))).toEqual([]);
    expect(steps).toEqual(
      expect.arrayContaining([
        'R2.2 Patient alice by reception: 201',
        'R2.2 Patient bob by physician: 201',
        'R2.2 Patient eve by insurerAgent: 201',
        'D35 RelatedPerson dan-mother by reception: 201',
        'D35 RelatedPerson dan-former-guardian by gp: 201',
        'R2.2 Consent bob-dmp by bob: 201',
        'R2.3 Consent dan-dmp by reception: 201',
        'R2.2 Consent carol-dmp by insurerAgent: 201',
        'R3.1 Consent alice-choices by alice: 201',
        'R7.5 Consent dan-choices by danMother: 201',
        'D15 Binary bin-a-report by physician: 201',
        'R8.1 DocumentReference a-psy-setting by hospitalDoctor: 201',
        'R8.4 DocumentReference a-vsm by gp: 201',
        'R8.5 DocumentReference a-reimbursement by insurerFeed: 201',
        'R7.2 DocumentReference a-personal by alice: 201',
        'R4.5 AllergyIntolerance a-allergy by nurse: 201',
        'R9.1 Consent carol-dmp closed by carol: 200',
      ]),
    );
  });
});
