import type { Organization, Practitioner } from 'fhir/r4';
import { FINESS_SYSTEM, IDNAT_PS_SYSTEM, IDNAT_STRUCT_SYSTEM, RPPS_SYSTEM } from '../../src/access/codes.js';
import {
  FAMILY_NAMES,
  FEMALE_NAMES,
  GENERAL_PRACTICE,
  HOSPITAL_NAMES,
  MALE_NAMES,
  PHARMACIST_SPECIALTIES,
  PHYSICIAN_SPECIALTIES,
  PLACES,
  PROFESSIONS,
  TRE_G15,
  TRE_R38,
} from './french-data.js';
import { Rng, scramble } from './prng.js';

/**
 * The professionals and care structures of a data set: every TRE_G15 profession at least twice,
 * then drawn by weight, their number growing with the number of holders so that each professional
 * is authorised by about the same number of holders at every size (`holdersPerPs`).
 */

export interface Professional {
  index: number;
  id: string;
  rpps: string;
  profession: string;
  specialty?: string;
  family: string;
  given: string;
  female: boolean;
  /** FINESS of the care structure the professional works in (hospital staff). */
  organization?: string;
}

export interface Structure {
  id: string;
  finess: string;
  name: string;
  city: string;
  postalCode: string;
}

export interface Pool {
  professionals: Professional[];
  /** Physicians in general practice: the holders' DMP GPs. */
  gps: Professional[];
  /** Physicians of other specialties (not occupational medicine, R1.3). */
  specialists: Professional[];
  /** Everyone a holder may authorise (occupational physicians excluded, R1.3). */
  authorisable: Professional[];
  byProfession: Map<string, Professional[]>;
  structures: Structure[];
  insurer: Structure;
}

/** The Luhn check digit of a string of digits (RPPS and FINESS numbers end with one). */
export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function rppsOf(index: number): string {
  const body = `10${String(scramble(index, 100_000_000, 48_271, 1_234_567)).padStart(8, '0')}`;
  return body + luhnDigit(body);
}

export function finessOf(index: number, department: string): string {
  const dept = /^\d\d$/.test(department) ? department : '75';
  const body = `${dept}0${String(scramble(index, 100_000, 7_919, 4_242)).padStart(5, '0')}`;
  return body + luhnDigit(body);
}

/**
 * How many professionals of each kind: enough GPs and specialists that each is chosen by about
 * `holdersPerPs` holders, and others (every profession, at least twice each) for the extra
 * authorisations, so that no professional is authorised by most holders of a small data set.
 */
export function poolShape(patients: number, holdersPerPs: number): { gps: number; specialists: number; others: number } {
  return {
    gps: Math.max(2, Math.ceil((patients * 0.85) / holdersPerPs)),
    specialists: Math.max(2, Math.ceil((patients * 0.9) / holdersPerPs)),
    others: Math.max(PROFESSIONS.length * 2, Math.ceil((patients * 2) / holdersPerPs)),
  };
}

const GP_SPECIALTIES = PHYSICIAN_SPECIALTIES.filter(([code]) => GENERAL_PRACTICE.includes(code));
const OTHER_SPECIALTIES = PHYSICIAN_SPECIALTIES.filter(([code]) => !GENERAL_PRACTICE.includes(code) && code !== 'SM25');

export function buildPool(seed: string, patients: number, holdersPerPs: number): Pool {
  const rng = Rng.forKey(seed, 'pool');
  const shape = poolShape(patients, holdersPerPs);
  const size = shape.gps + shape.specialists + shape.others;
  const structureCount = Math.max(3, Math.ceil(size / 40));
  const structures: Structure[] = [];
  for (let i = 0; i < structureCount; i++) {
    const place = rng.weighted(PLACES.map((p) => [p, p.weight] as const));
    const finess = finessOf(i, place.nirDepartment);
    structures.push({ id: `org-${finess}`, finess, name: `${rng.pick(HOSPITAL_NAMES)} de ${place.city}`, city: place.city, postalCode: place.postalCode });
  }
  // the server's default insurer Organization (D17: INSURER_ORGANIZATION_FINESS), same id as it creates at boot
  const insurer: Structure = { id: 'assurance-maladie-750000093', finess: '750000093', name: 'Assurance Maladie', city: 'Paris', postalCode: '75986' };

  const professionals: Professional[] = [];
  for (let i = 0; i < size; i++) {
    let profession: string;
    let specialty: string | undefined;
    if (i < shape.gps) [profession, specialty] = ['10', rng.weighted(GP_SPECIALTIES)];
    else if (i < shape.gps + shape.specialists) [profession, specialty] = ['10', rng.weighted(OTHER_SPECIALTIES)];
    else {
      const k = i - shape.gps - shape.specialists;
      // the first others cover every profession (twice), then by weight
      profession = k < PROFESSIONS.length * 2 ? PROFESSIONS[k % PROFESSIONS.length]!.code : rng.weighted(PROFESSIONS.map((p) => [p.code, p.weight] as const));
      if (profession === '10') specialty = rng.weighted(PHYSICIAN_SPECIALTIES);
      if (profession === '21') specialty = rng.weighted(PHARMACIST_SPECIALTIES);
    }
    const female = rng.chance(0.55);
    const rpps = rppsOf(i);
    const hospital = (profession === '10' && !GENERAL_PRACTICE.includes(specialty!)) || profession === '60' ? rng.chance(0.5) : rng.chance(0.05);
    professionals.push({
      index: i,
      id: `ps-${rpps}`,
      rpps,
      profession,
      ...(specialty ? { specialty } : {}),
      family: rng.pick(FAMILY_NAMES),
      given: rng.pick(female ? FEMALE_NAMES : MALE_NAMES),
      female,
      ...(hospital ? { organization: rng.pick(structures).finess } : {}),
    });
  }
  const byProfession = new Map<string, Professional[]>();
  for (const p of professionals) byProfession.set(p.profession, [...(byProfession.get(p.profession) ?? []), p]);
  return {
    professionals,
    gps: professionals.slice(0, shape.gps),
    specialists: professionals.slice(shape.gps, shape.gps + shape.specialists),
    authorisable: professionals.filter((p) => p.specialty !== 'SM25'),
    byProfession,
    structures,
    insurer,
  };
}

export function practitionerResource(p: Professional): Practitioner {
  const profession = PROFESSIONS.find((x) => x.code === p.profession)!;
  return {
    resourceType: 'Practitioner',
    id: p.id,
    identifier: [
      { use: 'official', system: RPPS_SYSTEM, value: p.rpps },
      { use: 'official', system: IDNAT_PS_SYSTEM, value: `8${p.rpps}` },
    ],
    active: true,
    name: [{ use: 'official', family: p.family.toUpperCase(), given: [p.given], ...(p.profession === '10' ? { prefix: ['Dr'] } : {}) }],
    gender: p.female ? 'female' : 'male',
    qualification: [
      { code: { coding: [{ system: TRE_G15, code: p.profession, display: profession.display }] } },
      ...(p.specialty ? [{ code: { coding: [{ system: TRE_R38, code: p.specialty }] } }] : []),
    ],
  };
}

export function organizationResource(s: Structure): Organization {
  return {
    resourceType: 'Organization',
    id: s.id,
    identifier: [
      { use: 'official', system: FINESS_SYSTEM, value: s.finess },
      { use: 'official', system: IDNAT_STRUCT_SYSTEM, value: `1${s.finess}` },
    ],
    active: true,
    name: s.name,
    address: [{ city: s.city, postalCode: s.postalCode, country: 'FR' }],
  };
}
