import { expect, it } from 'vitest';
import { ROW_GROUPS } from './table.js';
import { visibilitySuite } from './visibility.js';

visibilitySuite('who sees what: roles without clinical reads, DMP states', ROW_GROUPS.roles, (world) => {
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
