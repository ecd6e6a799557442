import type { Bundle, OperationOutcome } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { CLINIC } from './clinic.js';
import { getBundle, matchIds, refs, seed } from './helpers.js';

/** Includes are bounded by SEARCH_MAX_COUNT: a cut is said in an outcome entry, never silent. */

for (const kind of STORE_KINDS) {
  describe(`include limit on the ${kind} store`, () => {
    let t: TestApp;
    afterEach(async () => t?.close());

    it('stops adding included resources at the maximum and says so in an outcome entry', async () => {
      t = await createTestApp({ kind, accessControl: false, env: { SEARCH_MAX_COUNT: '2', SEARCH_DEFAULT_COUNT: '2' } });
      await seed(t, CLINIC);
      const bundle: Bundle = await getBundle(t, '/fhir/Patient?_id=pat-1&_revinclude=DocumentReference:subject');
      expect(matchIds(bundle)).toEqual(['pat-1']);
      expect(refs(bundle, 'include')).toHaveLength(2);
      const outcome = bundle.entry!.find((e) => e.search?.mode === 'outcome')!;
      expect(outcome.fullUrl).toMatch(/^urn:uuid:/);
      expect((outcome.resource as OperationOutcome).issue[0]!.code).toBe('too-costly');

      const within: Bundle = await getBundle(t, '/fhir/DocumentReference?_id=doc-1&_include=DocumentReference:subject');
      expect(refs(within, 'include')).toEqual(['Patient/pat-1']);
      expect(within.entry!.some((e) => e.search?.mode === 'outcome')).toBe(false);
    });
  });
}
