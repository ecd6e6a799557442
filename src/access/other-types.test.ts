import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessPipeline } from './pipeline.js';
import { CALLERS, NOW, openAccessTestStore, visible, type AccessTestStore, type CallerName } from './test-fixture.js';
import { scenario } from './test-scenario.js';

/** The same narrowing on the other types a search, `_include` or `_revinclude` reaches. */

const ALL_PATIENTS = ['alice', 'bob', 'carol', 'dan', 'eve', 'fay'];
const OPENINGS = ['closed-carol', 'open-alice', 'open-bob', 'open-dan', 'open-fay'];

const CASES: Array<{ name: string; caller: CallerName; type: string; byIdentifier?: boolean; expected: string[] | { status: number; rule: string } }> = [
  { name: 'D20 a professional sees whether any DMP is open, not the access choices', caller: 'nurse', type: 'Consent', expected: OPENINGS },
  { name: 'R3.4 a blocked professional does not see the blocking holder’s consents', caller: 'blocked', type: 'Consent', expected: OPENINGS.filter((id) => id !== 'open-alice') },
  { name: 'R8.7 reception sees whether DMPs are open', caller: 'reception', type: 'Consent', expected: OPENINGS },
  { name: 'R7.1 the holder sees their own consents, access choices included', caller: 'alice', type: 'Consent', expected: ['choices-alice', 'open-alice'] },
  { name: 'R7.5 a rep sees the minor’s consents', caller: 'danMother', type: 'Consent', expected: ['choices-dan', 'open-dan'] },
  { name: 'R1.4 the administrator reads no consent', caller: 'admin', type: 'Consent', expected: { status: 403, rule: 'R1.4' } },
  { name: 'R3.7 a professional’s patient search returns only patients they reach', caller: 'nurse', type: 'Patient', expected: ['alice', 'carol', 'dan'] },
  { name: 'D21 a professional finds any patient by exact INS', caller: 'nurse', type: 'Patient', byIdentifier: true, expected: ALL_PATIENTS },
  { name: 'R3.4 a blocked professional does not find the blocking holder even by INS', caller: 'blocked', type: 'Patient', byIdentifier: true, expected: ALL_PATIENTS.filter((id) => id !== 'alice') },
  { name: 'D21 a reception name search returns nobody', caller: 'reception', type: 'Patient', expected: [] },
  { name: 'D21 reception finds a patient by exact INS', caller: 'reception', type: 'Patient', byIdentifier: true, expected: ALL_PATIENTS },
  { name: 'R7.1 the holder finds only themselves', caller: 'alice', type: 'Patient', expected: ['alice'] },
  { name: 'R7.5 a rep finds only the minor', caller: 'danMother', type: 'Patient', expected: ['dan'] },
  { name: 'R4.2 a podiatrist sees vaccinations (prevention)', caller: 'podiatrist', type: 'Immunization', expected: ['imm-alice'] },
  { name: 'R4.2 a podiatrist sees allergies', caller: 'podiatrist', type: 'AllergyIntolerance', expected: ['allergy-alice'] },
  { name: 'R3.7 an unauthorised professional sees no vaccination', caller: 'stranger', type: 'Immunization', expected: [] },
  { name: 'R7.1 the holder sees their vaccinations', caller: 'alice', type: 'Immunization', expected: ['imm-alice'] },
  { name: 'D22 a nurse sees the RelatedPersons (wishes) of the minor she cares for', caller: 'nurse', type: 'RelatedPerson', expected: ['dan-guardian', 'dan-mother'] },
  { name: 'D22 the GP sees the RelatedPersons of every patient of theirs', caller: 'gp', type: 'RelatedPerson', expected: ['dan-guardian', 'dan-mother', 'fay-father'] },
  { name: 'R7.5 a rep of a holder who turned 18 sees no RelatedPerson', caller: 'fayFather', type: 'RelatedPerson', expected: [] },
  { name: 'D15 a Binary search lists nothing (Binaries are read by id)', caller: 'nurse', type: 'Binary', expected: [] },
  { name: 'R10.1 a professional reads only their own traces', caller: 'nurse', type: 'AuditEvent', expected: ['audit-nurse'] },
  { name: 'R10.1 the holder reads the traces about them', caller: 'alice', type: 'AuditEvent', expected: ['audit-gp', 'audit-nurse'] },
  { name: 'R10.1 a rep reads the traces about the minor', caller: 'danMother', type: 'AuditEvent', expected: ['audit-gp-dan'] },
  { name: 'R1.4 the administrator reads every trace', caller: 'admin', type: 'AuditEvent', expected: ['audit-gp', 'audit-gp-dan', 'audit-nurse'] },
  { name: 'R8.7 reception reads no trace', caller: 'reception', type: 'AuditEvent', expected: { status: 403, rule: 'R8.7' } },
  { name: 'D22 notifications are read by the holder and reps only', caller: 'gp', type: 'Communication', expected: { status: 403, rule: 'R1.3' } },
];

describe('narrowing of the other types', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  for (const c of CASES) {
    it(c.name, async () => {
      const seen = await visible(pipeline, fixture.store, CALLERS[c.caller], c.type, c.byIdentifier ? { byIdentifier: true } : {});
      if (Array.isArray(c.expected)) expect(seen).toEqual({ ids: c.expected, count: c.expected.length });
      else expect(seen).toEqual(c.expected);
    });
  }

  it('D3 a token whose scopes do not grant the type is refused, and the type vanishes from includes', async () => {
    const scoped = { ...CALLERS.gp, scopes: [{ context: 'user' as const, resourceType: 'Patient', interactions: ['read' as const, 'search' as const], version: 2 as const, text: 'user/Patient.rs' }] };
    expect(await visible(pipeline, fixture.store, scoped, 'DocumentReference')).toEqual({ status: 403, rule: 'D3' });
    const decision = await pipeline.decide(fixture.store, scoped, { interaction: 'search', type: 'Patient' });
    expect(await fixture.store.count('DocumentReference', decision.narrow('DocumentReference')!)).toBe(0);
    expect(await fixture.store.count('Patient', decision.narrow('Patient')!)).toBe(3);
  });
});
