import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { BASE, FIXTURES, INS, NOW, RPPS, TRE_A07, TRE_A07_OID, IDNAT_PS } from './compile-fixtures.js';
import { openSearchTestStore, type SearchTestStore } from './test-store.js';

/** [what it shows, type, query, expected ids (in order when the query sorts)] */
type Case = [string, string, string, string[]];

const enc = encodeURIComponent;

const STRING: Case[] = [
  ['"Helene" finds Hélène and Helene', 'Patient', 'name=Helene', ['p1', 'p3']],
  ['a string matches from the start, case-insensitively', 'Patient', 'name=HÉL', ['p1', 'p3']],
  ['the ligature œ reads as oe', 'Patient', 'family=coeur', ['p3']],
  ['the whole name matches too', 'Patient', 'name=helene dup', ['p1']],
  [':exact is case- and accent-sensitive', 'Patient', 'name:exact=Hélène', ['p1']],
  [':exact refuses another spelling', 'Patient', 'name:exact=helene', []],
  [':contains matches inside', 'Patient', 'name:contains=ierr', ['p2']],
  ['regex characters are literal', 'Patient', `name=${enc('.*')}`, []],
  ['an address part matches', 'Patient', 'address-city=paris', ['p1']],
  ['an accented organisation name', 'Organization', 'name=hopital', ['o1']],
  ['an escaped comma is part of the value', 'DocumentReference', `description=${enc('remboursements\\, 2020')}`, ['d3']],
  ['an apostrophe is kept', 'DocumentReference', `description=${enc("compte rendu d'hosp")}`, ['d1']],
  [':missing=true on a string', 'DocumentReference', 'description:missing=true', ['d2', 'd4', 'd5']],
];

const TOKEN: Case[] = [
  ['system|code', 'DocumentReference', `type=${enc('http://loinc.org|11488-4')}`, ['d1']],
  ['code alone, any system', 'DocumentReference', 'type=11488-4', ['d1']],
  ['a code stored under an OID is found by the canonical URL', 'DocumentReference', `type=${enc('http://loinc.org|18748-4')}`, ['d2']],
  ['and by its OID', 'DocumentReference', `type=${enc('urn:oid:2.16.840.1.113883.6.1|18748-4')}`, ['d2']],
  ['system| finds every code of a system', 'DocumentReference', `type=${enc('http://loinc.org|')}`, ['d1', 'd2']],
  ['|code only matches codes without a system', 'DocumentReference', `type=${enc('|11488-4')}`, []],
  ['|code on a plain code', 'DocumentReference', `status=${enc('|current')}`, ['d1', 'd3', 'd5']],
  ['OR-ed values', 'DocumentReference', 'status=superseded,entered-in-error', ['d2', 'd4']],
  ['AND-ed parameters', 'DocumentReference', 'status=current&type=11488-4', ['d1']],
  [':not includes resources without the element', 'DocumentReference', `type:not=${enc('http://loinc.org|11488-4')}`, ['d2', 'd3', 'd4', 'd5']],
  [':text matches a display word', 'DocumentReference', 'type:text=imaging', ['d2']],
  [':text matches CodeableConcept.text, accent-insensitively', 'DocumentReference', 'type:text=sortie', ['d5']],
  [':missing=true: no coding and no text', 'DocumentReference', 'type:missing=true', ['d4']],
  [':missing=false', 'DocumentReference', 'type:missing=false', ['d1', 'd2', 'd3', 'd5']],
  ['TRE_A07 label written as OID, searched by URL', 'DocumentReference', `security-label=${enc(`${TRE_A07}|MASQUE_PS`)}`, ['d1']],
  ['TRE_A07 label written as URL, searched by OID', 'DocumentReference', `security-label=${enc(`${TRE_A07_OID}|INVISIBLE_PATIENT`)}`, ['d2']],
  ['isArchived=true', 'DocumentReference', 'isArchived=true', ['d2']],
  ['isArchived=false finds documents without the extension', 'DocumentReference', 'isArchived=false', ['d1', 'd3', 'd4', 'd5']],
  ['INS identifier', 'Patient', `identifier=${enc(`${INS}|280055012345678`)}`, ['p1']],
  ['an escaped | inside an identifier value', 'Patient', `identifier=${enc('urn:x|a\\|b')}`, ['p2']],
  [':of-type', 'Patient', `identifier:of-type=${enc('http://terminology.hl7.org/CodeSystem/v2-0203|NI|280055012345678')}`, ['p1']],
  ['IdNat_PS found by RPPS', 'Practitioner', `identifier=${enc(`${RPPS}|10009876543`)}`, ['pr2']],
  ['RPPS found by IdNat_PS', 'Practitioner', `identifier=${enc(`${IDNAT_PS}|810001234567`)}`, ['pr1']],
  ['gender:missing=true', 'Patient', 'gender:missing=true', ['p3']],
  ['a ContactPoint value', 'Patient', `email=${enc('helene@example.fr')}`, ['p1']],
  ['_id', 'DocumentReference', '_id=d1,d3', ['d1', 'd3']],
  ['_id:not', 'DocumentReference', '_id:not=d1', ['d2', 'd3', 'd4', 'd5']],
  ['_tag', 'DocumentReference', `_tag=${enc('http://x|t1')}`, ['d1']],
  ['_security with an OID system', 'Patient', `_security=${enc(`${TRE_A07}|INVISIBLE_REPRESENTANTS_LEGAUX`)}`, ['p2']],
  ['a category of our own code system', 'Consent', `category=${enc('https://dmp-fhir-server.example/CodeSystem/consent-category|dmp-access')}`, ['c1']],
];

const REFERENCE: Case[] = [
  ['Type/id finds relative, absolute-on-base and versioned references', 'DocumentReference', 'subject=Patient/p1', ['d1', 'd2']],
  ['a bare id', 'DocumentReference', 'subject=p1', ['d1', 'd2']],
  ['an absolute URL on our base', 'DocumentReference', `subject=${enc(`${BASE}/Patient/p2`)}`, ['d3']],
  ['an absolute URL elsewhere matches nothing local', 'DocumentReference', `subject=${enc('https://other.example/fhir/Patient/p1')}`, []],
  [':[type] modifier', 'DocumentReference', 'subject:Practitioner=pr1', ['d5']],
  ['patient (resolve() rewritten) keeps Patient subjects only', 'DocumentReference', 'patient:missing=true', ['d5']],
  ['patient=Type/id', 'DocumentReference', 'patient=Patient/p1', ['d1', 'd2']],
  [':identifier', 'DocumentReference', `author:identifier=${enc(`${RPPS}|10009876543`)}`, ['d2']],
  [':missing on a reference counts identifier-only references as present', 'DocumentReference', 'author:missing=true', ['d4', 'd5']],
  ['a provision actor nested in the Consent', 'Consent', `provision-actor:identifier=${enc(`${RPPS}|10001234567`)}`, ['c1']],
  ['the official actor reads the top provision only', 'Consent', `actor:identifier=${enc(`${RPPS}|10001234567`)}`, []],
  ['composite relationship', 'DocumentReference', `relationship=${enc('replaces$DocumentReference/d2')}`, ['d3']],
  ['composite with another relation', 'DocumentReference', `relationship=${enc('transforms$DocumentReference/d2')}`, []],
];

const CHAIN: Case[] = [
  ['subject:Patient.identifier', 'DocumentReference', `subject:Patient.identifier=${enc(`${INS}|280055012345678`)}`, ['d1', 'd2']],
  ['author.identifier over several target types', 'DocumentReference', `author.identifier=${enc(`${RPPS}|10001234567`)}`, ['d1']],
  ['two levels', 'DocumentReference', 'patient.organization.name=hopital', ['d1', 'd2']],
  ['a chained string, accent-insensitive', 'DocumentReference', 'subject:Patient.name=helene', ['d1', 'd2', 'd4']],
  ['_has', 'Patient', `_has:DocumentReference:patient:type=${enc('http://loinc.org|11488-4')}`, ['p1']],
  ['_has with OR-ed values', 'Patient', '_has:DocumentReference:patient:status=current,entered-in-error', ['p1', 'p2', 'p3']],
  ['nested _has', 'Patient', '_has:DocumentReference:patient:_has:List:item:status=current', ['p1', 'p2']],
  ['_has with a chained inner parameter', 'Patient', `_has:DocumentReference:patient:author.identifier=${enc(`${RPPS}|10001234567`)}`, ['p1']],
  ['_list', 'DocumentReference', '_list=l1', ['d1', 'd3']],
  ['_list of another type yields nothing', 'Patient', '_list=l1', []],
];

const DATE: Case[] = [
  ['a day in UTC: 23:30+01:00 and 00:30+01:00 the next day both fall on March 1', 'DocumentReference', 'date=2019-03-01', ['d1', 'd2']],
  ['the next UTC day holds neither', 'DocumentReference', 'date=2019-03-02', []],
  ['a time zone in the search value', 'DocumentReference', `date=${enc('ge2019-03-02T00:00:00+01:00')}`, ['d2', 'd3', 'd4', 'd5']],
  ['+ sent unencoded arrives as a space and still reads', 'DocumentReference', 'date=ge2019-03-02T00:00:00+01:00', ['d2', 'd3', 'd4', 'd5']],
  ['year precision', 'DocumentReference', 'date=2019', ['d1', 'd2']],
  ['month precision', 'DocumentReference', 'date=2019-03', ['d1', 'd2']],
  ['minute precision', 'DocumentReference', `date=${enc('2019-03-01T22:30Z')}`, ['d1']],
  ['lt', 'DocumentReference', 'date=lt2019-03-01T23:00:00Z', ['d1']],
  ['gt a year ends after it', 'DocumentReference', 'date=gt2020', ['d4', 'd5']],
  ['the last millisecond of a year is in it', 'DocumentReference', 'date=2021', ['d4']],
  ['ge', 'DocumentReference', 'date=ge2020-06-15', ['d3', 'd4', 'd5']],
  ['le', 'DocumentReference', 'date=le2019-03-01', ['d1', 'd2']],
  ['ne', 'DocumentReference', 'date=ne2019', ['d3', 'd4', 'd5']],
  ['sa', 'DocumentReference', 'date=sa2020-06-15', ['d4', 'd5']],
  ['eb', 'DocumentReference', 'date=eb2020-06-15', ['d1', 'd2']],
  ['ap: within 10% of the distance to now', 'DocumentReference', 'date=ap2024-03-01', ['d5']],
  ['ap: beyond it', 'DocumentReference', 'date=ap2024-03-15', []],
  ['a period contained in the search range', 'DocumentReference', 'period=2019', ['d2']],
  ['a period is not equal to a narrower range', 'DocumentReference', 'period=2019-01', []],
  ['a period open at the end reaches the future', 'DocumentReference', 'period=ge2030', ['d4']],
  ['a period starting before', 'DocumentReference', 'period=le2019-01-15', ['d2']],
  ['our creation parameter', 'DocumentReference', 'creation=2019-02-28', ['d1']],
  ['birthdate', 'Patient', 'birthdate=lt2000', ['p1']],
  ['an occurrence given as text is not a date', 'Immunization', 'date=le2024', ['i1']],
  ['_lastUpdated', 'DocumentReference', '_lastUpdated=lt2024', ['d5']],
  ['_lastUpdated ge', 'DocumentReference', '_lastUpdated=ge2024-05-01T10:00:00Z', ['d1', 'd2', 'd3', 'd4']],
];

const URI_AND_SORT: Case[] = [
  ['uri exact', 'DocumentReference', `location=${enc('https://dmp.example/fhir/Binary/b1')}`, ['d1']],
  ['uri :below', 'DocumentReference', `location:below=${enc('https://dmp.example/')}`, ['d1']],
  ['uri :above', 'DocumentReference', `location:above=${enc('https://dmp.example/fhir/Binary/b1/extra')}`, ['d1']],
  ['_profile', 'Patient', `_profile=${enc('https://interop.esante.gouv.fr/ig/fhir/core/StructureDefinition/fr-core-patient')}`, ['p1']],
  ['_sort=-date', 'DocumentReference', '_sort=-date', ['d5', 'd4', 'd3', 'd2', 'd1']],
  ['_sort=date', 'DocumentReference', 'status=current&_sort=date', ['d1', 'd3', 'd5']],
  ['_sort by family name, folded', 'Patient', '_sort=family', ['p3', 'p1', 'p2']],
  ['several keys', 'DocumentReference', '_sort=status,-_id', ['d5', 'd3', 'd1', 'd4', 'd2']],
  ['_sort=_lastUpdated', 'DocumentReference', '_sort=_lastUpdated,_id', ['d5', 'd1', 'd2', 'd3', 'd4']],
];

describe('compileSearch against the embedded store', () => {
  let db: SearchTestStore;
  beforeAll(async () => {
    db = await openSearchTestStore(FIXTURES, { baseUrl: BASE, now: NOW });
  });
  afterAll(async () => db.close());

  for (const [group, cases] of Object.entries({ STRING, TOKEN, REFERENCE, CHAIN, DATE, URI_AND_SORT })) {
    describe(group.toLowerCase(), () => {
      for (const [what, type, query, expected] of cases) {
        it(`${what}: ${type}?${decodeURIComponent(query)}`, async () => {
          const ids = await db.search(type, query);
          expect(ids).toEqual(query.includes('_sort') ? expected : [...expected].sort());
        });
      }
    });
  }

  it('answers a reference lookup from the index, not by scanning the type', async () => {
    db.traces.length = 0;
    await db.search('DocumentReference', 'patient=Patient/p1');
    expect(db.traces[0]).toMatchObject({ strategy: 'index', exact: true });
  });

  it('refuses a chain whose inner query yields more ids than allowed', async () => {
    const error = await db.search('DocumentReference', 'subject:Patient.gender=male,female', { maxIds: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect((error as FhirError).issues[0]!.code).toBe('too-costly');
  });
});
