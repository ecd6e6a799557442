import type { Bundle } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { CLINIC, DELETED, RPPS } from './clinic.js';
import { getBundle, matchIds, refs, remove, seed } from './helpers.js';

/**
 * Query → expected ids, through the HTTP API, on every store engine. `ordered` rows compare the
 * order too (they carry `_sort`); the others compare as sets. Every GET row is replayed as
 * `POST [type]/_search` with the query as a form body and must give the same answer.
 */

interface Row {
  query: string;
  match: string[];
  ordered?: boolean;
  include?: string[];
}

const L = 'http://loinc.org';

const TABLE: Record<string, Row[]> = {
  'string parameters (starts-with, case and accent insensitive, :exact, :contains, escaping)': [
    { query: 'Patient?family=martin', match: ['pat-1', 'pat-3'] },
    { query: 'Patient?family=MARTIN&given=helene', match: ['pat-1'] },
    { query: 'Patient?family:exact=Martin', match: ['pat-1'] },
    { query: 'Patient?family:exact=martin', match: [] },
    { query: 'Patient?family:contains=tin', match: ['pat-1', 'pat-3'] },
    { query: 'Patient?name=zoe', match: ['pat-4'] },
    { query: 'Organization?name=hopital', match: ['org-2'] },
    { query: 'Organization?name:contains=eloi', match: ['org-1'] },
    { query: 'Organization?name=soins%5C,%20sante', match: ['org-3'] },
    { query: 'Organization?name=soins,hopital', match: ['org-2', 'org-3'] },
  ],
  'token parameters (code, system|code, |code, system|, :not, :text, :missing)': [
    { query: 'Patient?gender=female', match: ['pat-1', 'pat-3'] },
    { query: 'Patient?gender:not=female', match: ['pat-2', 'pat-4'] },
    { query: 'Patient?identifier=http://example.org/mrn|J1', match: ['pat-2'] },
    { query: 'Patient?identifier=J1', match: ['pat-2'] },
    { query: 'Patient?identifier=|J1', match: [] },
    { query: 'Patient?identifier=http://example.org/mrn|', match: ['pat-1', 'pat-2', 'pat-3'] },
    { query: 'Patient?identifier:missing=true', match: ['pat-4'] },
    { query: 'Patient?active=false', match: ['pat-3'] },
    { query: `DocumentReference?type=${L}|18842-5`, match: ['doc-2', 'doc-4'] },
    { query: 'DocumentReference?type:text=discharge', match: ['doc-2', 'doc-4'] },
    { query: 'DocumentReference?status=current,superseded&subject=Patient/pat-1', match: ['doc-1', 'doc-2', 'doc-3', 'doc-7'] },
    { query: 'DocumentReference?status:not=current', match: ['doc-5', 'doc-7'] },
    { query: 'AllergyIntolerance?code=http://snomed.info/sct|91936005', match: ['allergy-1'] },
    { query: 'AllergyIntolerance?clinical-status=active', match: ['allergy-1'] },
    { query: 'Immunization?vaccine-code=http://hl7.org/fhir/sid/cvx|140', match: ['imm-1'] },
  ],
  'reference parameters (Type/id, id, absolute URL on our base, :[type], :missing, :identifier)': [
    { query: 'Patient?link=Patient/pat-1', match: ['pat-3'] },
    { query: 'Patient?general-practitioner=prac-a', match: ['pat-1'] },
    { query: 'Patient?general-practitioner:Practitioner=prac-a', match: ['pat-1'] },
    { query: 'Patient?organization=http://localhost:8080/fhir/Organization/org-2', match: ['pat-2'] },
    { query: 'Patient?organization=Organization/org-2', match: ['pat-2'] },
    { query: 'Patient?organization:missing=true', match: ['pat-3'] },
    { query: 'DocumentReference?author=Practitioner/prac-a', match: ['doc-1', 'doc-4'] },
    { query: 'DocumentReference?author=Practitioner/prac-b', match: ['doc-2'] },
    { query: 'DocumentReference?author:Organization=org-2', match: ['doc-5'] },
    { query: 'DocumentReference?author:missing=true', match: ['doc-3'] },
    { query: 'RelatedPerson?patient=pat-3', match: ['rp-1'] },
    { query: 'PractitionerRole?practitioner=prac-a', match: ['role-1'] },
  ],
  'dates (prefixes, precisions, timezone boundaries, :missing)': [
    { query: 'Patient?birthdate=1980', match: ['pat-1'] },
    { query: 'Patient?birthdate=1980-04', match: ['pat-1'] },
    { query: 'Patient?birthdate=lt1980&_sort=birthdate', match: ['pat-2'], ordered: true },
    { query: 'Patient?birthdate=ge1976&_sort=-birthdate', match: ['pat-3', 'pat-1'], ordered: true },
    { query: 'Patient?birthdate:missing=true', match: ['pat-4'] },
    { query: 'DocumentReference?date=ge2019-01-01T00:00:00Z&date=lt2020-01-01T00:00:00Z&_sort=date', match: ['doc-3', 'doc-1'], ordered: true },
    { query: 'DocumentReference?date=lt2019-01-01T00:00:00Z', match: [] },
    { query: 'DocumentReference?date=lt2019-01-01T00:00:00Z&status=superseded', match: ['doc-7'] },
    { query: 'DocumentReference?date=lt2019-01-01T00:00:00-02:00', match: ['doc-3'] },
    { query: 'DocumentReference?date=sa2021-01-01T00:00:00Z', match: ['doc-4', 'doc-6'] },
    { query: 'DocumentReference?date=eb2019-02-01T00:00:00Z', match: ['doc-3'] },
    { query: 'DocumentReference?date=ne2019-03-01T10:00:00Z&patient=pat-1', match: ['doc-2', 'doc-3'] },
    { query: 'DocumentReference?date=ap2020-07-15T21:30:00Z', match: ['doc-2'] },
    { query: 'DocumentReference?date:missing=true', match: ['doc-5'] },
    { query: 'Immunization?date=lt2010&_sort=-date', match: ['imm-2'], ordered: true },
  ],
  'common parameters (_id, _lastUpdated, _tag, _security, _profile, _list)': [
    { query: 'Patient?_id=pat-1,pat-4', match: ['pat-1', 'pat-4'] },
    { query: 'DocumentReference?_lastUpdated=gt2000', match: ['doc-1', 'doc-2', 'doc-3', 'doc-4', 'doc-5', 'doc-6'] },
    { query: 'DocumentReference?_lastUpdated=lt2000', match: [] },
    { query: 'DocumentReference?_tag=http://example.org/tags|urgent', match: ['doc-4'] },
    { query: 'DocumentReference?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R', match: ['doc-2'] },
    { query: 'DocumentReference?_profile=http://example.org/StructureDefinition/doc', match: ['doc-1'] },
    { query: 'DocumentReference?_list=list-1', match: ['doc-1', 'doc-2'] },
  ],
  'chaining and reverse chaining (_has)': [
    { query: 'Patient?general-practitioner.name=durand', match: ['pat-1'] },
    { query: 'Patient?organization:Organization.name=hopital', match: ['pat-2'] },
    { query: 'DocumentReference?subject:Patient.identifier=http://example.org/mrn|J1', match: ['doc-4', 'doc-5'] },
    { query: `DocumentReference?author:Practitioner.identifier=${RPPS}|10001`, match: ['doc-1', 'doc-4'] },
    { query: `DocumentReference?author.identifier=${RPPS}|10002`, match: ['doc-2'] },
    { query: `Patient?_has:DocumentReference:subject:type=${L}|18842-5`, match: ['pat-1', 'pat-2'] },
    { query: 'Patient?_has:DocumentReference:subject:status=entered-in-error', match: ['pat-2'] },
  ],
  'DMP defaults (R7.3, R8.3: superseded documents leave searches that do not name a status)': [
    { query: 'DocumentReference?patient=pat-1', match: ['doc-1', 'doc-2', 'doc-3'] },
    { query: 'DocumentReference?patient=pat-1&status=superseded', match: ['doc-7'] },
    { query: 'Practitioner?_id=prac-b&_revinclude=DocumentReference:author', match: ['prac-b'], include: ['DocumentReference/doc-2'] },
  ],
  'sorting (several keys, descending, stable)': [
    { query: 'DocumentReference?patient=pat-1&_sort=date', match: ['doc-3', 'doc-1', 'doc-2'], ordered: true },
    { query: `DocumentReference?patient=pat-1&type=${L}|11488-4&_sort=-date`, match: ['doc-1', 'doc-3'], ordered: true },
    { query: 'DocumentReference?_sort=status,-date', match: ['doc-4', 'doc-6', 'doc-2', 'doc-1', 'doc-3', 'doc-5'], ordered: true },
    { query: 'Patient?_sort=gender,family', match: ['pat-1', 'pat-3', 'pat-2', 'pat-4'], ordered: true },
    { query: 'Patient?_sort=-_id', match: ['pat-4', 'pat-3', 'pat-2', 'pat-1'], ordered: true },
  ],
  '_include and _revinclude (:iterate, *, deleted targets, de-duplication)': [
    { query: 'DocumentReference?patient=pat-1&_include=DocumentReference:subject', match: ['doc-1', 'doc-2', 'doc-3'], include: ['Patient/pat-1'] },
    { query: 'DocumentReference?_id=doc-1&_include=DocumentReference:author&_include=DocumentReference:custodian', match: ['doc-1'], include: ['Practitioner/prac-a', 'Organization/org-1'] },
    { query: 'DocumentReference?_id=doc-1&_include=DocumentReference:author:Organization', match: ['doc-1'], include: [] },
    { query: 'DocumentReference?_id=doc-1&_include=*', match: ['doc-1'], include: ['Patient/pat-1', 'Practitioner/prac-a', 'Organization/org-1'] },
    { query: 'Patient?_id=pat-1&_revinclude=DocumentReference:subject', match: ['pat-1'], include: ['DocumentReference/doc-1', 'DocumentReference/doc-2', 'DocumentReference/doc-3'] },
    { query: 'Patient?_id=pat-1&_revinclude=DocumentReference:author', match: ['pat-1'], include: ['DocumentReference/doc-6'] },
    { query: 'Patient?_id=pat-1&_include=Patient:general-practitioner&_revinclude=PractitionerRole:practitioner', match: ['pat-1'], include: ['Practitioner/prac-a'] },
    {
      query: 'DocumentReference?_id=doc-1&_include=DocumentReference:subject&_include:iterate=Patient:general-practitioner',
      match: ['doc-1'],
      include: ['Patient/pat-1', 'Practitioner/prac-a'],
    },
    { query: 'DocumentReference?_id=doc-6&_include=DocumentReference:subject&_include:iterate=Patient:link', match: ['doc-6'], include: ['Patient/pat-3', 'Patient/pat-1'] },
    {
      query: 'PractitionerRole?_id=role-1&_include=PractitionerRole:practitioner&_revinclude:iterate=DocumentReference:author',
      match: ['role-1'],
      include: ['Practitioner/prac-a', 'DocumentReference/doc-1', 'DocumentReference/doc-4'],
    },
    { query: 'Patient?_id=pat-4&_include=Patient:organization', match: ['pat-4'], include: [] },
    { query: 'Patient?_id=pat-1,pat-3&_include=Patient:link', match: ['pat-1', 'pat-3'], include: [] },
  ],
  'compartment search (Patient/[id]/[type])': [
    { query: 'Patient/pat-1/DocumentReference', match: ['doc-1', 'doc-2', 'doc-3', 'doc-6'] },
    { query: 'Patient/pat-1/DocumentReference?status=superseded', match: ['doc-7'] },
    { query: `Patient/pat-1/DocumentReference?type=${L}|18842-5`, match: ['doc-2'] },
    { query: 'Patient/pat-1/DocumentReference?_sort=-date&_count=2', match: ['doc-6', 'doc-2'], ordered: true },
    { query: 'Patient/pat-1/Immunization', match: ['imm-1'] },
    { query: 'Patient/pat-1/AllergyIntolerance', match: ['allergy-1'] },
    { query: 'Patient/pat-1/Patient', match: ['pat-1', 'pat-3'] },
    { query: 'Patient/pat-1/List', match: ['list-1'] },
    { query: 'Patient/pat-1/Consent', match: ['consent-1'] },
    { query: 'Patient/pat-3/RelatedPerson', match: ['rp-1'] },
    { query: 'Patient/pat-2/Consent', match: [] },
    { query: 'Patient/nobody/DocumentReference', match: [] },
  ],
};

function compare(bundle: Bundle, row: Row): void {
  const ids = matchIds(bundle);
  if (row.ordered) expect(ids).toEqual(row.match);
  else expect([...ids].sort()).toEqual([...row.match].sort());
  if (row.include) expect(refs(bundle, 'include').sort()).toEqual([...row.include].sort());
}

for (const kind of STORE_KINDS) {
  describe(`search on the ${kind} store`, () => {
    // One read-only fixture per engine: no test below writes.
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, accessControl: false });
      await seed(t, CLINIC);
      for (const [type, id] of DELETED) await remove(t, type, id);
    });
    afterAll(async () => t?.close());

    for (const [topic, rows] of Object.entries(TABLE)) {
      describe(topic, () => {
        for (const row of rows) {
          it(`answers ${row.query} with ${row.match.join(', ') || 'nothing'}`, async () => {
            const bundle = await getBundle(t, `/fhir/${row.query}`);
            expect(bundle.resourceType).toBe('Bundle');
            expect(bundle.type).toBe('searchset');
            compare(bundle, row);
            if (!row.query.includes('_count')) expect(bundle.total).toBe(row.match.length);
            for (const entry of bundle.entry ?? []) {
              expect(entry.fullUrl).toBe(`http://localhost:8080/fhir/${entry.resource!.resourceType}/${entry.resource!.id}`);
            }

            if (row.query.startsWith('Patient/')) return;
            const [type, query = ''] = row.query.split('?');
            const posted = await t.request
              .post(`/fhir/${type}/_search`)
              .set('content-type', 'application/x-www-form-urlencoded')
              .send(query);
            expect(posted.status).toBe(200);
            compare(posted.body as Bundle, row);
          });
        }
      });
    }
  });
}
