import type { Binary, Patient, RelatedPerson, Resource } from 'fhir/r4';
import type { AccessContext } from '../../src/access/access-context.js';
import { MASKED_TO_PROFESSIONALS, INVISIBLE_TO_PATIENT, INVISIBLE_TO_REPS, ROLE_CODE_SYSTEM } from '../../src/access/codes.js';
import { accessChoices, dmpCreation } from './consents.js';
import { DOC_KIND_WEIGHTS, type DocKind } from './doc-types.js';
import { documentReference, pdfBytes, type DocAuthor, type DocSpec } from './documents.js';
import { allergies, immunizations } from './clinical.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, PLACES, STREETS } from './french-data.js';
import { insOf, TEST_INS_SYSTEM } from './ins.js';
import type { Pool, Professional } from './pool.js';
import { Rng } from './prng.js';
import { between, DAY, YEAR } from './time.js';

/**
 * Everything one holder has in the DMP, generated from the seed and the holder's index alone: the
 * Patient (valid INS), a rep for a minor, the DMP opening and access choices, documents, allergies
 * and immunizations, each with the moment it was stored and who stored it (for its AuditEvent).
 */


export interface Seeded {
  resource: Resource;
  versionId: number;
  at: Date;
  /** Who wrote it: an AuditEvent records the deposit. Absent: no trace (a second version's). */
  by?: AccessContext;
}

/** What the benchmark needs to know about one holder: an authorised physician and what they see. */
export interface ManifestEntry {
  patient: string;
  ps: { rpps: string; profession: string; specialty?: string; organization?: string; id: string };
  /** Documents this physician may read by id. */
  readable: string[];
  /** Documents a default search by this physician returns (not archived, not superseded). */
  searchable: number;
}

export interface PatientRecord {
  id: string;
  seeds: Seeded[];
  documents: number;
  manifest?: ManifestEntry;
}

export interface RecordOptions {
  seed: string;
  docsPerPatient: number;
  now: Date;
  binaries: boolean;
}

const AGE_BANDS: ReadonlyArray<readonly [[number, number], number]> = [
  [[0, 17], 20], [[18, 39], 25], [[40, 64], 33], [[65, 95], 22],
];

const psCaller = (ps: Professional): AccessContext => ({
  role: 'professional',
  sub: `rpps-${ps.rpps}`,
  fhirUser: `Practitioner/${ps.id}`,
  rpps: ps.rpps,
  profession: ps.profession,
  ...(ps.specialty ? { specialty: ps.specialty } : {}),
  ...(ps.organization ? { organization: ps.organization } : {}),
  breakGlass: false,
});


export function patientRecord(pool: Pool, index: number, options: RecordOptions): PatientRecord {
  const rng = Rng.forKey(options.seed, 'patient', index);
  const now = options.now.getTime();
  const id = rng.uuid();
  const holder = `Patient/${id}`;
  const female = rng.chance(0.52);
  const [lo, hi] = rng.weighted(AGE_BANDS);
  const birth = new Date(now - rng.int(lo, hi) * YEAR - rng.int(0, 364) * DAY);
  const place = rng.weighted(PLACES.map((p) => [p, p.weight] as const));
  const family = rng.pick(FAMILY_NAMES);
  const given = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
  const state = rng.weighted([['none', 1], ['closed', 1.5], ['open', 97.5]] as const);
  const openedAt = Math.max(birth.getTime() + 7 * DAY, now - Math.floor(rng.next() * 5 * YEAR) - 30 * DAY);
  const minorAtOpening = openedAt - birth.getTime() < 18 * YEAR;
  const adult = now - birth.getTime() >= 18 * YEAR;
  const reception = rng.pick(pool.structures);
  const seeds: Seeded[] = [];

  const patient: Patient = {
    resourceType: 'Patient',
    id,
    identifier: [{ use: 'official', system: TEST_INS_SYSTEM, value: insOf(index, female, birth, place.nirDepartment, options.seed) }],
    active: true,
    name: [{ use: 'official', family: family.toUpperCase(), given: [given] }],
    telecom: [{ system: 'phone', value: `0${rng.pick(['6', '7'])}${rng.digits(8)}`, use: 'mobile' }],
    gender: female ? 'female' : 'male',
    birthDate: birth.toISOString().slice(0, 10),
    address: [{ use: 'home', line: [`${rng.int(1, 180)} ${rng.pick(STREETS)}`], city: place.city, postalCode: place.postalCode, country: 'FR' }],
  };
  const receptionist: AccessContext = { role: 'reception', sub: `accueil-${reception.finess}`, organization: reception.finess, breakGlass: false };
  seeds.push({ resource: patient, versionId: 1, at: new Date(openedAt - 3_600_000), by: receptionist });
  if (state === 'none') return { id, seeds, documents: 0 };

  let performer = holder;
  let holderCaller: AccessContext = { role: 'patient', sub: holder, fhirUser: holder as AccessContext['fhirUser'], breakGlass: false };
  if (minorAtOpening) {
    const rep: RelatedPerson = {
      resourceType: 'RelatedPerson',
      id: rng.uuid(),
      active: true,
      patient: { reference: holder },
      relationship: [{ coding: [{ system: ROLE_CODE_SYSTEM, code: 'PRN', display: 'parent' }] }],
      name: [{ family: family.toUpperCase(), given: [rng.pick(rng.chance(0.6) ? FEMALE_NAMES : MALE_NAMES)] }],
      telecom: [{ system: 'phone', value: `06${rng.digits(8)}` }],
      period: { start: patient.birthDate! },
    };
    seeds.push({ resource: rep, versionId: 1, at: new Date(openedAt - 1_800_000), by: receptionist });
    performer = `RelatedPerson/${rep.id}`;
    if (!adult) holderCaller = { role: 'legal-representative', sub: performer, fhirUser: performer as AccessContext['fhirUser'], breakGlass: false };
  }
  const closedAt = state === 'closed' ? between(rng, openedAt + 30 * DAY, now) : undefined;
  const activeUntil = closedAt?.getTime() ?? now;
  seeds.push({
    resource: dmpCreation({ id: rng.uuid(), holder: id, performer, at: new Date(openedAt), ...(closedAt ? { closed: { at: closedAt, reason: rng.chance(0.3) ? 'death' : 'holder-request' } } : {}) }),
    versionId: 1,
    at: new Date(openedAt),
    by: receptionist,
  });

  // access choices: a DMP GP, a few authorised professionals, sometimes a care structure
  const gp = rng.chance(0.85) ? rng.pick(pool.gps) : undefined;
  const permitted = new Map<string, Professional>();
  if (rng.chance(0.9)) {
    const specialist = rng.pick(pool.specialists);
    permitted.set(specialist.rpps, specialist);
  }
  for (let i = rng.int(0, 4); i > 0; i--) {
    const ps = rng.pick(pool.authorisable);
    if (ps.rpps !== gp?.rpps) permitted.set(ps.rpps, ps);
  }
  const structures = rng.chance(0.15) ? [rng.pick(pool.structures).finess] : [];
  const blockedPs = rng.chance(0.02) ? rng.pick(pool.authorisable) : undefined;
  const blocked = blockedPs && !permitted.has(blockedPs.rpps) && blockedPs.rpps !== gp?.rpps ? [blockedPs.rpps] : [];
  const choicesAt = new Date(openedAt + rng.int(1, 30) * DAY);
  seeds.push({
    resource: accessChoices({ id: rng.uuid(), holder: id, performer, at: choicesAt, ...(gp ? { gp: gp.rpps } : {}), permit: [...permitted.keys()], structures, blocked, opposed: rng.chance(0.03) }),
    versionId: 1,
    at: choicesAt,
    by: holderCaller,
  });
  const authorised = [...(gp ? [gp] : []), ...permitted.values()];

  // documents, oldest first
  const count = authorised.length === 0 ? 0 : Math.max(1, Math.round(options.docsPerPatient * (0.5 + rng.next())));
  const specs: DocSpec[] = [];
  const dates = Array.from({ length: count }, () => between(rng, choicesAt.getTime(), activeUntil)).sort((a, b) => a.getTime() - b.getTime());
  for (const deposited of dates) {
    let kind: DocKind = rng.weighted(DOC_KIND_WEIGHTS);
    const author = pickAuthor(rng, kind, authorised, gp, pool, holder, patient);
    if (!author) kind = DOC_KIND_WEIGHTS.find(([k]) => k.code === '11488-4')![0];
    const by: DocAuthor = author ?? { kind: 'professional', ps: authorised[0]! };
    const recent = now - deposited.getTime() < 60 * DAY;
    const labels: string[] = [];
    if (kind.family !== 'reimbursement') {
      if (rng.chance(0.04)) labels.push(MASKED_TO_PROFESSIONALS);
      if (kind.announceable && rng.chance(recent ? 0.3 : 0.01)) labels.push(INVISIBLE_TO_PATIENT);
      if (!adult && by.kind === 'professional' && now - birth.getTime() > 12 * YEAR && rng.chance(0.05)) labels.push(INVISIBLE_TO_REPS);
    }
    const previous = lastOf(specs, (s) => s.kind.code === kind.code && s.status === 'current' && s.author.kind === 'professional');
    const replaces = by.kind === 'professional' && previous && rng.chance(0.15) ? previous : undefined;
    const spec: DocSpec = {
      id: rng.uuid(),
      holder: id,
      kind,
      author: by,
      deposited,
      labels,
      normal: labels.length === 0 && rng.chance(0.4),
      archived: now - deposited.getTime() > YEAR && rng.chance(0.03),
      status: 'current',
      ...(replaces ? { replaces: replaces.id } : {}),
      uniqueId: `urn:oid:1.2.250.1.213.1.1.9.${index}.${specs.length + 1}`,
      size: rng.int(20_000, 900_000),
      hash: rng.base64(20),
    };
    if (options.binaries) spec.binary = rng.uuid();
    if (replaces) replaces.status = 'superseded';
    specs.push(spec);
  }
  for (const spec of specs) {
    const caller = spec.author.kind === 'professional' ? psCaller(spec.author.ps) : spec.author.kind === 'insurer'
      ? { role: 'insurer-feed' as const, sub: 'cnam-feed', fhirUser: 'Device/cnam-feed' as const, breakGlass: false }
      : holderCaller;
    if (spec.binary) {
      const binary: Binary = { resourceType: 'Binary', id: spec.binary, contentType: 'application/pdf', securityContext: { reference: `DocumentReference/${spec.id}` }, data: pdfBytes(rng, spec.kind.display) };
      seeds.push({ resource: binary, versionId: 1, at: spec.deposited, by: caller });
    }
    seeds.push({ resource: documentReference({ ...spec, status: 'current' }), versionId: 1, at: spec.deposited, by: caller });
  }
  // replacements: the replaced document's second version (status superseded) when its successor lands
  for (const spec of specs) {
    if (!spec.replaces) continue;
    const old = specs.find((s) => s.id === spec.replaces)!;
    seeds.push({ resource: documentReference(old), versionId: 2, at: new Date(spec.deposited.getTime() + 1) });
  }

  seeds.push(...allergies(rng, holder, authorised, choicesAt.getTime(), activeUntil, psCaller));
  seeds.push(...immunizations(rng, holder, authorised, birth.getTime(), choicesAt.getTime(), now, activeUntil, psCaller));

  const reader = [...permitted.values()].find((ps) => ps.profession === '10') ?? (gp?.profession === '10' ? gp : undefined);
  const manifest: ManifestEntry | undefined =
    state === 'open' && reader
      ? {
          patient: id,
          ps: { rpps: reader.rpps, profession: reader.profession, id: reader.id, ...(reader.specialty ? { specialty: reader.specialty } : {}), ...(reader.organization ? { organization: reader.organization } : {}) },
          readable: specs.filter((s) => visibleTo(s, reader, gp)).map((s) => s.id),
          searchable: specs.filter((s) => visibleTo(s, reader, gp) && !s.archived && s.status === 'current').length,
        }
      : undefined;
  return { id, seeds, documents: specs.length, ...(manifest ? { manifest } : {}) };
}

function lastOf<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return items[i];
  return undefined;
}

/** R5.1 for a physician (who reads every family): masked documents only for their author or a DMP GP. */
function visibleTo(spec: DocSpec, ps: Professional, gp: Professional | undefined): boolean {
  if (!spec.labels.includes(MASKED_TO_PROFESSIONALS)) return true;
  return ps.rpps === gp?.rpps || (spec.author.kind === 'professional' && spec.author.ps.rpps === ps.rpps);
}

function pickAuthor(rng: Rng, kind: DocKind, authorised: Professional[], gp: Professional | undefined, pool: Pool, holder: string, patient: Patient): DocAuthor | undefined {
  switch (kind.depositor) {
    case 'gp':
      return gp ? { kind: 'professional', ps: gp } : undefined;
    case 'holder':
      return { kind: 'holder', reference: holder, display: `${patient.name![0]!.given![0]} ${patient.name![0]!.family}` };
    case 'insurer':
      return { kind: 'insurer', org: pool.insurer };
    case 'professional': {
      const fitting = kind.authors ? authorised.filter((ps) => kind.authors!.includes(ps.profession)) : authorised;
      return fitting.length ? { kind: 'professional', ps: rng.pick(fitting) } : undefined;
    }
  }
}
