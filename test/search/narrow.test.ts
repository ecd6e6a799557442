import type { Bundle } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMatches } from '../../src/interactions/search.js';
import type { Narrow } from '../../src/search/types.js';
import { STORE_KINDS } from '../helpers/app.js';
import { CLINIC } from './clinic.js';
import { linkOf, matchIds, refs } from './helpers.js';
import { openStoreFixture, relative, search, type StoreFixture } from './store-fixture.js';

/**
 * The access fragment (`narrow`) reaches every query a search runs. Each case is run twice: without
 * narrow the hidden resource shows (so the case really exercises that path), with it nothing of the
 * hidden resources comes through, whether as a match, an include, a total, a chain, `_has`, `_list`,
 * a compartment or a page.
 */

const HIDDEN: Record<string, string[]> = {
  Patient: ['pat-2'],
  DocumentReference: ['doc-2'],
  Practitioner: ['prac-a'],
};
const narrow: Narrow = (type) => (HIDDEN[type] ? { $nor: [{ id: { $in: HIDDEN[type] } }] } : undefined);

const L = 'http://loinc.org';

interface Case {
  name: string;
  url: string;
  open: { match: string[]; include?: string[]; total?: number };
  narrowed: { match: string[]; include?: string[]; total?: number };
}

const CASES: Case[] = [
  {
    name: 'the matches and the total',
    url: 'DocumentReference?patient=pat-1',
    open: { match: ['doc-1', 'doc-2', 'doc-3'], total: 3 },
    narrowed: { match: ['doc-1', 'doc-3'], total: 2 },
  },
  { name: 'a count-only search', url: 'Patient?_summary=count', open: { match: [], total: 4 }, narrowed: { match: [], total: 3 } },
  {
    name: '_include',
    url: 'DocumentReference?_id=doc-1&_include=DocumentReference:author&_include=DocumentReference:subject',
    open: { match: ['doc-1'], include: ['Practitioner/prac-a', 'Patient/pat-1'] },
    narrowed: { match: ['doc-1'], include: ['Patient/pat-1'] },
  },
  {
    name: '_revinclude',
    url: 'Patient?_id=pat-1&_revinclude=DocumentReference:subject',
    open: { match: ['pat-1'], include: ['DocumentReference/doc-1', 'DocumentReference/doc-2', 'DocumentReference/doc-3'] },
    narrowed: { match: ['pat-1'], include: ['DocumentReference/doc-1', 'DocumentReference/doc-3'] },
  },
  {
    name: '_include:iterate',
    url: 'DocumentReference?_id=doc-1&_include=DocumentReference:subject&_include:iterate=Patient:general-practitioner',
    open: { match: ['doc-1'], include: ['Patient/pat-1', 'Practitioner/prac-a'] },
    narrowed: { match: ['doc-1'], include: ['Patient/pat-1'] },
  },
  {
    name: '_revinclude:iterate',
    url: 'PractitionerRole?_id=role-1&_include=PractitionerRole:practitioner&_revinclude:iterate=DocumentReference:author',
    open: { match: ['role-1'], include: ['Practitioner/prac-a', 'DocumentReference/doc-1', 'DocumentReference/doc-4'] },
    narrowed: { match: ['role-1'], include: [] },
  },
  {
    name: 'a chained parameter',
    url: 'DocumentReference?subject:Patient.identifier=http://example.org/mrn|J1',
    open: { match: ['doc-4', 'doc-5'] },
    narrowed: { match: [] },
  },
  { name: 'a chain without type', url: 'Patient?general-practitioner.name=durand', open: { match: ['pat-1'] }, narrowed: { match: [] } },
  {
    name: '_has',
    url: `Patient?_has:DocumentReference:subject:type=${L}|18842-5`,
    open: { match: ['pat-1', 'pat-2'] },
    narrowed: { match: [] },
  },
  { name: '_list', url: 'DocumentReference?_list=list-1', open: { match: ['doc-1', 'doc-2'] }, narrowed: { match: ['doc-1'] } },
  {
    name: 'a compartment search',
    url: 'Patient/pat-1/DocumentReference',
    open: { match: ['doc-1', 'doc-2', 'doc-3', 'doc-6'] },
    narrowed: { match: ['doc-1', 'doc-3', 'doc-6'] },
  },
  { name: 'a compartment of a hidden patient', url: 'Patient/pat-2/Patient', open: { match: ['pat-2'] }, narrowed: { match: [] } },
];

function check(bundle: Bundle, expected: Case['open']): void {
  expect(matchIds(bundle).sort()).toEqual([...expected.match].sort());
  if (expected.include) expect(refs(bundle, 'include').sort()).toEqual([...expected.include].sort());
  if (expected.total !== undefined) expect(bundle.total).toBe(expected.total);
}

for (const kind of STORE_KINDS) {
  describe(`narrow on the ${kind} store`, () => {
    let f: StoreFixture;
    beforeAll(async () => {
      f = await openStoreFixture(kind, CLINIC);
    });
    afterAll(async () => f?.close());

    for (const c of CASES) {
      it(`keeps hidden resources out of ${c.name}`, async () => {
        check(await search(f.ctx, c.url), c.open);
        check(await search(f.ctx, c.url, { narrow }), c.narrowed);
      });
    }

    it('keeps hidden resources out of every page, and the links never lead to them', async () => {
      const seen: string[] = [];
      let url: string | undefined = 'DocumentReference?_count=1&_sort=date';
      const pages: Bundle[] = [];
      while (url) {
        const page: Bundle = await search(f.ctx, url, { narrow });
        pages.push(page);
        expect(page.total).toBe(5);
        seen.push(...matchIds(page));
        const next = linkOf(page, 'next');
        url = next ? relative(next) : undefined;
      }
      expect(seen.sort()).toEqual(['doc-1', 'doc-3', 'doc-4', 'doc-5', 'doc-6']);
      // and backwards from the last page
      const back: string[] = [];
      let previous = linkOf(pages[pages.length - 1]!, 'previous');
      while (previous) {
        const page: Bundle = await search(f.ctx, relative(previous), { narrow });
        back.unshift(...matchIds(page));
        previous = linkOf(page, 'previous');
      }
      expect(back.length).toBe(4);
      expect(back).not.toContain('doc-2');
    });

    it('gives conditional interactions no match on a hidden resource', async () => {
      expect((await findMatches(f.ctx, 'DocumentReference', '_id=doc-2')).map((r) => r.id)).toEqual(['doc-2']);
      expect(await findMatches(f.ctx, 'DocumentReference', '_id=doc-2', narrow)).toEqual([]);
      expect((await findMatches(f.ctx, 'Patient', 'family=martin', narrow)).map((r) => r.id).sort()).toEqual(['pat-1', 'pat-3']);
      expect(await findMatches(f.ctx, 'Patient', 'identifier=http://example.org/mrn|J1', narrow)).toEqual([]);
    });
  });
}
