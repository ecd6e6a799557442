import { readFileSync } from 'node:fs';
import type { DocumentReference, FhirResource, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSearchTestStore, type SearchTestStore } from './test-store.js';

/**
 * Realistic queries over the Synthea bulk set (read in place), each checked against the same
 * question answered directly on the JSON, so the expected ids are not hand-copied.
 */

const SYNTHEA = new URL('../../../shared/corpus/synthea-r4-bulk-ndjson-10-patients/', import.meta.url);
function synthea<T extends FhirResource>(type: T['resourceType']): T[] {
  return readFileSync(new URL(`${type}.000.ndjson`, SYNTHEA), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

describe('search over the Synthea bulk set', () => {
  const docs = synthea<DocumentReference>('DocumentReference');
  const patients = synthea<Patient>('Patient');
  let db: SearchTestStore;

  beforeAll(async () => {
    db = await openSearchTestStore([...docs, ...patients].map((resource) => ({ resource })));
  });
  afterAll(async () => db.close());

  it('answers DocumentReference?patient=…&type=…&date=ge2019&_sort=-date', async () => {
    const latest = [...docs].sort((a, b) => Date.parse(b.date!) - Date.parse(a.date!))[0]!;
    const patient = latest.subject!.reference!;
    const code = latest.type!.coding![0]!.code!;
    const expected = docs
      .filter((d) => d.subject?.reference === patient && d.type?.coding?.some((c) => c.system === 'http://loinc.org' && c.code === code))
      .filter((d) => Date.parse(d.date!) >= Date.parse('2019-01-01T00:00:00Z'))
      .sort((a, b) => Date.parse(b.date!) - Date.parse(a.date!) || (a.id! < b.id! ? -1 : 1))
      .map((d) => d.id);
    expect(expected.length).toBeGreaterThan(5);
    expect(await db.search('DocumentReference', `patient=${patient}&type=http://loinc.org|${code}&date=ge2019&_sort=-date`)).toEqual(expected);
  });

  it('finds the documents of a patient chosen by identifier through a chain', async () => {
    const patient = patients[0]!;
    const ssn = patient.identifier!.find((i) => i.system === 'http://hl7.org/fhir/sid/us-ssn')!;
    const expected = docs.filter((d) => d.subject?.reference === `Patient/${patient.id}`).map((d) => d.id).sort();
    expect(expected.length).toBeGreaterThan(0);
    expect(await db.search('DocumentReference', `subject:Patient.identifier=${ssn.system}|${ssn.value}`)).toEqual(expected);
  });

  it('finds patients by a folded name prefix and by reverse chaining', async () => {
    const family = patients[0]!.name![0]!.family!;
    const byName = patients.filter((p) => p.name?.some((n) => n.family?.toLowerCase().startsWith(family.slice(0, 4).toLowerCase()))).map((p) => p.id).sort();
    expect(await db.search('Patient', `family=${family.slice(0, 4).toUpperCase()}`)).toEqual(byName);
    const withDocs = [...new Set(docs.map((d) => d.subject!.reference!.replace('Patient/', '')))].sort();
    expect(await db.search('Patient', '_has:DocumentReference:patient:status=superseded,current')).toEqual(
      withDocs.filter((id) => docs.some((d) => d.subject!.reference === `Patient/${id}` && ['superseded', 'current'].includes(d.status))),
    );
  });

  it('counts the documents of one year in UTC', async () => {
    const expected = docs.filter((d) => new Date(d.date!).getUTCFullYear() === 2015).map((d) => d.id).sort();
    expect(await db.search('DocumentReference', 'date=2015')).toEqual(expected);
  });
});
