import type { AllergyIntolerance, Immunization } from 'fhir/r4';
import type { AccessContext } from '../../src/access/access-context.js';
import { ALLERGIES, ATC, SNOMED, VACCINES } from './french-data.js';
import type { Seeded } from './patient-record.js';
import type { Professional } from './pool.js';
import type { Rng } from './prng.js';
import { between, DAY, YEAR } from './time.js';

/** A holder's allergies (recorded by an authorised physician) and immunizations (by age, by a vaccinator). */

type CallerOf = (ps: Professional) => AccessContext;

export function allergies(rng: Rng, holder: string, authorised: Professional[], from: number, to: number, callerOf: CallerOf): Seeded[] {
  const physicians = authorised.filter((ps) => ps.profession === '10');
  if (!physicians.length || !rng.chance(0.35)) return [];
  return rng.sample(ALLERGIES, rng.int(1, 3)).map((allergy) => {
    const recorder = rng.pick(physicians);
    const at = between(rng, from, to);
    const resource: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: rng.uuid(),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      type: 'allergy',
      category: [allergy.category],
      criticality: rng.chance(0.2) ? 'high' : 'low',
      code: { coding: [{ system: SNOMED, code: allergy.code, display: allergy.display }], text: allergy.display },
      patient: { reference: holder },
      recordedDate: at.toISOString(),
      recorder: { reference: `Practitioner/${recorder.id}` },
    };
    return { resource, versionId: 1, at, by: callerOf(recorder) };
  });
}

export function immunizations(rng: Rng, holder: string, authorised: Professional[], birth: number, from: number, now: number, to: number, callerOf: CallerOf): Seeded[] {
  const vaccinators = authorised.filter((ps) => ['10', '21', '50', '60'].includes(ps.profession));
  if (!vaccinators.length) return [];
  const out: Seeded[] = [];
  for (const vaccine of VACCINES) {
    for (const age of vaccine.ages) {
      const given = birth + age * YEAR + rng.int(30, 300) * DAY;
      if (given > now || out.length >= 10 || !rng.chance(0.6)) continue;
      const performer = rng.pick(vaccinators);
      const at = new Date(Math.min(to, Math.max(given, from) + rng.int(0, 5) * DAY));
      const resource: Immunization = {
        resourceType: 'Immunization',
        id: rng.uuid(),
        status: 'completed',
        vaccineCode: { coding: [{ system: ATC, code: vaccine.atc, display: vaccine.display }], text: vaccine.display },
        patient: { reference: holder },
        occurrenceDateTime: new Date(given).toISOString().slice(0, 10),
        primarySource: given >= from,
        lotNumber: `${rng.pick(['A', 'B', 'F', 'K', 'T'])}${rng.digits(5)}`,
        performer: [{ actor: { reference: `Practitioner/${performer.id}` } }],
      };
      out.push({ resource, versionId: 1, at, by: callerOf(performer) });
    }
  }
  return out;
}
