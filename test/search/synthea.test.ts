import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AllergyIntolerance, Bundle, DocumentReference, Immunization, Patient, Practitioner, PractitionerRole, Resource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSupportedType } from '../../src/fhir/registry.js';
import { buildRow } from '../../src/interactions/write-row.js';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { follow, getBundle, matchIds, refs } from './helpers.js';

/**
 * Realistic queries on the Synthea bulk export (10 patients, 1,215 documents), loaded in place
 * through the store (types this server does not hold are skipped). Every expectation is computed
 * here from the raw NDJSON, never from the engine.
 */

const DIR = fileURLToPath(new URL('../../../shared/corpus/synthea-r4-bulk-ndjson-10-patients/', import.meta.url));

function load(): Resource[] {
  return readdirSync(DIR)
    .filter((file) => file.endsWith('.ndjson') && isSupportedType(file.split('.')[0]!))
    .flatMap((file) =>
      readFileSync(DIR + file, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Resource),
    );
}

const ALL = load();
const of = <T extends Resource>(type: T['resourceType']) => ALL.filter((r): r is T => r.resourceType === type);
const DOCS = of<DocumentReference>('DocumentReference');
const PATIENTS = of<Patient>('Patient');
const IMMUNIZATIONS = of<Immunization>('Immunization');
const ALLERGIES = of<AllergyIntolerance>('AllergyIntolerance');
const PRACTITIONERS = of<Practitioner>('Practitioner');
const ROLES = of<PractitionerRole>('PractitionerRole');

const LOINC = 'http://loinc.org';
const ms = (instant: string) => Date.parse(instant);
const byIdThen = (a: { id?: string }, b: { id?: string }) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0);
/** Ascending by instant, ties by id: the server's order for `_sort=date`. */
const byDate = <T extends { id?: string }>(date: (r: T) => string) => (a: T, b: T) => ms(date(a)) - ms(date(b)) || byIdThen(a, b);
const idsOf = (list: Array<{ id?: string }>) => list.map((r) => r.id!);
const subjectOf = (d: DocumentReference) => d.subject?.reference;
const hasType = (d: DocumentReference, code: string) => (d.type?.coding ?? []).some((c) => c.system === LOINC && c.code === code);
/** DMP R7.3/R8.3: a search that names no status leaves superseded (and archived: none here) documents out. */
const byDefault = (d: DocumentReference) => d.status !== 'superseded' && !(d.extension ?? []).some((e) => e.url.endsWith('pdsm-ext-is-archived'));

/** Values within 14 hours of a date-only boundary would depend on the server's timezone: there must be none. */
function farFromBoundary(instants: string[], boundary: string): void {
  const b = ms(`${boundary}T00:00:00Z`);
  expect(instants.filter((i) => Math.abs(ms(i) - b) < 14 * 3600_000)).toEqual([]);
}

/** The patient with the most documents, and the one with the second most. */
const RANKED = Object.entries(
  DOCS.reduce<Record<string, number>>((n, d) => ({ ...n, [subjectOf(d)!]: (n[subjectOf(d)!] ?? 0) + 1 }), {}),
).sort((a, b) => b[1] - a[1]);
const BUSY = RANKED[0]![0].split('/')[1]!;
const SECOND = RANKED[1]![0].split('/')[1]!;

/** The patient with the most documents since 2019 that default searches show. */
const RECENT = Object.entries(
  DOCS.filter((d) => byDefault(d) && ms(d.date!) >= ms('2019-01-01T00:00:00Z')).reduce<Record<string, number>>(
    (n, d) => ({ ...n, [subjectOf(d)!]: (n[subjectOf(d)!] ?? 0) + 1 }),
    {},
  ),
)
  .sort((a, b) => b[1] - a[1])[0]![0]
  .split('/')[1]!;

async function loadInto(t: TestApp): Promise<void> {
  const at = new Date('2024-06-01T00:00:00Z');
  for (let i = 0; i < ALL.length; i += 200) {
    const rows = ALL.slice(i, i + 200).map((r) => ({ row: buildRow(r, r.id!, 1, at), expectedVersion: 0 }));
    await t.store.commit(rows);
  }
}

for (const kind of STORE_KINDS) {
  describe(`Synthea corpus on the ${kind} store`, () => {
    // One read-only fixture per engine: loading 1,500 resources per test would dominate the suite.
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, accessControl: false });
      await loadInto(t);
    }, 120_000);
    afterAll(async () => t?.close());

    it("answers a patient's notes of one type since 2019, newest first, leaving superseded ones out", async () => {
      const candidates = DOCS.filter((d) => subjectOf(d) === `Patient/${RECENT}` && hasType(d, '34117-2'));
      farFromBoundary(candidates.map((d) => d.date!), '2019-01-01');
      const since = candidates.filter((d) => ms(d.date!) >= ms('2019-01-01T00:00:00Z'));
      // Newest first; equal dates keep the id tie-break ascending.
      const newestFirst = (a: DocumentReference, b: DocumentReference) => ms(b.date!) - ms(a.date!) || byIdThen(a, b);

      const shown = since.filter(byDefault).sort(newestFirst);
      expect(shown.length).toBeGreaterThan(0);
      const bundle = await getBundle(t, `/fhir/DocumentReference?patient=${RECENT}&type=${LOINC}|34117-2&date=ge2019&_sort=-date`);
      expect(matchIds(bundle)).toEqual(idsOf(shown));

      const all = [...since].sort(newestFirst);
      expect(all.length).toBeGreaterThan(10);
      const pages = await follow(t, `/fhir/DocumentReference?patient=${RECENT}&type=${LOINC}|34117-2&date=ge2019&status=current,superseded&_sort=-date&_count=10`);
      expect(pages.flatMap(matchIds)).toEqual(idsOf(all));
      expect(pages[0]!.total).toBe(all.length);
    });

    it("lists a patient's documents oldest first across pages of 25", async () => {
      const expected = DOCS.filter((d) => subjectOf(d) === `Patient/${SECOND}`).sort(byDate((d) => d.date!));
      const pages = await follow(t, `/fhir/DocumentReference?subject=Patient/${SECOND}&status=superseded,current&_sort=date&_count=25`);
      expect(pages.length).toBe(Math.ceil(expected.length / 25));
      expect(pages.flatMap(matchIds)).toEqual(idsOf(expected));
    });

    it('finds the documents of a time window across all patients, by date then id', async () => {
      const lo = ms('2020-01-01T00:00:00Z');
      const hi = ms('2020-03-01T00:00:00Z');
      const expected = DOCS.filter((d) => d.status !== 'entered-in-error' && ms(d.date!) >= lo && ms(d.date!) < hi).sort(byDate((d) => d.date!));
      const pages = await follow(t, '/fhir/DocumentReference?date=ge2020-01-01T00:00:00Z&date=lt2020-03-01T00:00:00Z&status:not=entered-in-error&_sort=date,_id&_count=7');
      expect(pages.flatMap(matchIds)).toEqual(idsOf(expected));
    });

    it("counts a patient's compartment without returning entries", async () => {
      const bundle = await getBundle(t, `/fhir/Patient/${BUSY}/DocumentReference?_summary=count`);
      expect(bundle.total).toBe(DOCS.filter((d) => subjectOf(d) === `Patient/${BUSY}` && byDefault(d)).length);
      const every = await getBundle(t, `/fhir/Patient/${BUSY}/DocumentReference?status=current,superseded&_summary=count`);
      expect(every.total).toBe(DOCS.filter((d) => subjectOf(d) === `Patient/${BUSY}`).length);
      expect(bundle.entry).toBeUndefined();
    });

    it("finds a patient's immunizations before 2015 in date order", async () => {
      const patient = IMMUNIZATIONS[0]!.patient.reference!;
      const mine = IMMUNIZATIONS.filter((i) => i.patient.reference === patient);
      farFromBoundary(mine.map((i) => i.occurrenceDateTime!), '2015-01-01');
      const expected = mine.filter((i) => ms(i.occurrenceDateTime!) < ms('2015-01-01T00:00:00Z')).sort(byDate((i) => i.occurrenceDateTime!));
      const bundle = await getBundle(t, `/fhir/Immunization?patient=${patient}&date=lt2015&_sort=date&_count=100`);
      expect(matchIds(bundle)).toEqual(idsOf(expected));
    });

    it("finds a patient's allergies", async () => {
      const patient = ALLERGIES[0]!.patient.reference!;
      const bundle = await getBundle(t, `/fhir/AllergyIntolerance?patient=${patient}`);
      expect(matchIds(bundle).sort()).toEqual(idsOf(ALLERGIES.filter((a) => a.patient.reference === patient)).sort());
    });

    it('finds patients by gender and birth date, and by the start of a family name', async () => {
      farFromBoundary(PATIENTS.map((p) => `${p.birthDate}T00:00:00Z`), '1970-01-01');
      const women = PATIENTS.filter((p) => p.gender === 'female' && p.birthDate! < '1970');
      expect(matchIds(await getBundle(t, '/fhir/Patient?gender=female&birthdate=lt1970')).sort()).toEqual(idsOf(women).sort());
      const schm = PATIENTS.filter((p) => p.name!.some((n) => n.family!.toLowerCase().startsWith('schm')));
      expect(schm.length).toBeGreaterThan(0);
      expect(matchIds(await getBundle(t, '/fhir/Patient?family=SCHM')).sort()).toEqual(idsOf(schm).sort());
    });

    it('finds the patients with a document since 2021 by reverse chaining', async () => {
      // `_has` looks at every document, superseded ones included (only result sets get the DMP default)
      const expected = new Set(DOCS.filter((d) => ms(d.date!) >= ms('2021-01-01T00:00:00Z')).map((d) => subjectOf(d)!.split('/')[1]!));
      const bundle = await getBundle(t, '/fhir/Patient?_has:DocumentReference:subject:date=ge2021-01-01T00:00:00Z&_count=100');
      expect(matchIds(bundle).sort()).toEqual([...expected].sort());
    });

    it('includes the subject of a page of documents, and a patient’s documents by _revinclude', async () => {
      const page = await getBundle(t, `/fhir/DocumentReference?patient=${BUSY}&status=superseded&_count=5&_include=DocumentReference:subject`);
      expect(matchIds(page)).toHaveLength(5);
      expect(refs(page, 'include')).toEqual([`Patient/${BUSY}`]);

      const withDocs: Bundle = await getBundle(t, `/fhir/Patient?_id=${SECOND}&_revinclude=DocumentReference:subject`);
      // a reverse include is a search of documents: the DMP default leaves superseded ones out
      const expected = DOCS.filter((d) => subjectOf(d) === `Patient/${SECOND}` && byDefault(d)).map((d) => `DocumentReference/${d.id}`);
      expect(refs(withDocs, 'include').sort()).toEqual(expected.sort());
    });

    it('finds a practitioner by NPI and the roles that point to it', async () => {
      const practitioner = PRACTITIONERS[0]!;
      const npi = practitioner.identifier!.find((i) => i.system === 'http://hl7.org/fhir/sid/us-npi')!.value!;
      expect(matchIds(await getBundle(t, `/fhir/Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|${npi}`))).toEqual([practitioner.id]);
      const roles = ROLES.filter((r) => r.practitioner?.reference === `Practitioner/${practitioner.id}`);
      const bundle = await getBundle(t, `/fhir/PractitionerRole?practitioner=Practitioner/${practitioner.id}&_include=PractitionerRole:practitioner`);
      expect(matchIds(bundle).sort()).toEqual(idsOf(roles).sort());
      expect(refs(bundle, 'include')).toEqual(roles.length ? [`Practitioner/${practitioner.id}`] : []);
    });
  });
}
