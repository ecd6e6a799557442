import type { Bundle, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { CLINIC } from './clinic.js';
import { getBundle, linkOf, matchIds, refs, seed } from './helpers.js';

/** `_summary`, `_elements`, lenient handling and the refusals of search, through HTTP. */

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

function only(bundle: Bundle): Patient {
  expect(bundle.entry).toHaveLength(1);
  return bundle.entry![0]!.resource as Patient;
}

function isSubsetted(resource: Patient): boolean {
  return (resource.meta?.tag ?? []).some((t) => t.system === SUBSETTED.system && t.code === SUBSETTED.code);
}

for (const kind of STORE_KINDS) {
  describe(`result parameters on the ${kind} store`, () => {
    // One read-only fixture per engine: no test below writes.
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ kind, accessControl: false });
      await seed(t, CLINIC);
    });
    afterAll(async () => t?.close());

    it('returns summary elements only with _summary=true, tagged SUBSETTED', async () => {
      const p = only(await getBundle(t, '/fhir/Patient?_id=pat-1&_summary=true'));
      expect(p.text).toBeUndefined();
      expect(p.name?.[0]?.family).toBe('Martin');
      expect(p.generalPractitioner).toBeUndefined();
      expect(p.meta?.versionId).toBe('1');
      expect(isSubsetted(p)).toBe(true);
    });

    it('returns the narrative, id and meta with _summary=text', async () => {
      const p = only(await getBundle(t, '/fhir/Patient?_id=pat-1&_summary=text'));
      expect(Object.keys(p).sort()).toEqual(['id', 'meta', 'resourceType', 'text']);
      expect(isSubsetted(p)).toBe(true);
    });

    it('returns everything but the narrative with _summary=data', async () => {
      const p = only(await getBundle(t, '/fhir/Patient?_id=pat-1&_summary=data'));
      expect(p.text).toBeUndefined();
      expect(p.generalPractitioner).toEqual([{ reference: 'Practitioner/prac-a' }]);
      expect(isSubsetted(p)).toBe(true);
    });

    it('returns whole resources untagged with _summary=false', async () => {
      const p = only(await getBundle(t, '/fhir/Patient?_id=pat-1&_summary=false'));
      expect(p.text?.status).toBe('generated');
      expect(isSubsetted(p)).toBe(false);
    });

    it('returns the listed elements with mandatory ones, id and meta under _elements, and leaves includes whole', async () => {
      const bundle = await getBundle(t, '/fhir/DocumentReference?_id=doc-1&_elements=subject,date&_include=DocumentReference:subject');
      const doc = bundle.entry!.find((e) => e.search?.mode === 'match')!.resource!;
      expect(Object.keys(doc).sort()).toEqual(['content', 'date', 'id', 'meta', 'resourceType', 'status', 'subject']);
      expect(isSubsetted(doc as Patient)).toBe(true);
      const patient = bundle.entry!.find((e) => e.search?.mode === 'include')!.resource as Patient;
      expect(patient.name?.[0]?.family).toBe('Martin');
      expect(isSubsetted(patient)).toBe(false);
    });

    it('refuses an unknown parameter with a 400 naming it', async () => {
      const res = await t.request.get('/fhir/Patient?foo=bar&gender=female');
      expect(res.status).toBe(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].code).toBe('invalid');
      expect(errorCode(res.body)).toBe('UNKNOWN_PARAMETER');
      expect(res.body.issue[0].diagnostics).toContain('foo');
    });

    it('ignores unknown parameters under Prefer: handling=lenient and leaves them out of the links', async () => {
      const bundle = await getBundle(t, '/fhir/Patient?foo=bar&gender=female&gender:nonsense=x&_count=1', { prefer: 'handling=lenient' });
      expect(bundle.total).toBe(2);
      for (const relation of ['self', 'first', 'next']) {
        expect(linkOf(bundle, relation)).toMatch(/^http:\/\/localhost:8080\/fhir\/Patient\?gender=female&_count=1/);
        expect(linkOf(bundle, relation)).not.toContain('foo');
        expect(linkOf(bundle, relation)).not.toContain('nonsense');
      }
      const posted = await t.request
        .post('/fhir/Patient/_search')
        .set('content-type', 'application/x-www-form-urlencoded')
        .set('prefer', 'handling=lenient')
        .send('foo=bar&gender=female');
      expect(posted.status).toBe(200);
      expect(matchIds(posted.body as Bundle).sort()).toEqual(['pat-1', 'pat-3']);
      expect(linkOf(posted.body as Bundle, 'self')).toBe('http://localhost:8080/fhir/Patient?gender=female');
    });

    it('still refuses a malformed value of a known parameter under lenient handling', async () => {
      const res = await t.request.get('/fhir/Patient?birthdate=yesterday').set('prefer', 'handling=lenient');
      expect(res.status).toBe(400);
      expect(res.body.issue[0].code).toBe('invalid');
    });

    it('combines URL and form parameters of POST _search', async () => {
      const res = await t.request
        .post('/fhir/DocumentReference/_search?patient=pat-1')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('_sort=-date&_include=DocumentReference:subject');
      expect(res.status).toBe(200);
      expect(matchIds(res.body as Bundle)).toEqual(['doc-2', 'doc-1', 'doc-3']);
      expect(refs(res.body as Bundle, 'include')).toEqual(['Patient/pat-1']);
    });

    it('refuses a compartment search of a type outside the Patient compartment', async () => {
      const res = await t.request.get('/fhir/Patient/pat-1/Organization');
      expect(res.status).toBe(400);
      expect(errorCode(res.body)).toBe('NOT_IN_COMPARTMENT');
    });

    it('answers a compartment search of an unsupported type with 404', async () => {
      const res = await t.request.get('/fhir/Patient/pat-1/Observation');
      expect(res.status).toBe(404);
      expect(errorCode(res.body)).toBe('UNSUPPORTED_TYPE');
    });

    it('keeps the compartment in the links of a compartment search', async () => {
      const bundle = await getBundle(t, '/fhir/Patient/pat-1/DocumentReference?_count=1&_sort=date');
      expect(linkOf(bundle, 'self')).toBe('http://localhost:8080/fhir/Patient/pat-1/DocumentReference?_count=1&_sort=date');
      expect(linkOf(bundle, 'next')).toMatch(/^http:\/\/localhost:8080\/fhir\/Patient\/pat-1\/DocumentReference\?_count=1&_sort=date&_cursor=/);
    });
  });
}
