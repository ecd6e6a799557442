import type { Bundle, Patient } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type StoreKind, type TestApp } from '../helpers/app.js';
import { errorCode, put } from '../helpers/fhir.js';
import { follow, getBundle, linkOf, matchIds, pathOf, remove, seed } from './helpers.js';

/**
 * Paging by cursor: every match exactly once, in order, forwards and backwards, while resources are
 * created, updated and deleted between two page fetches.
 */

const FAMILIES = ['Abadie', 'Bonnet', 'Caron', 'Denis', 'Étienne', 'Fabre', 'Gautier', 'Henry', 'Imbert', 'Joly', 'Klein', 'Lacroix', 'Marchand'];

function person(id: string, family: string): Patient {
  return { resourceType: 'Patient', id, name: [{ family }], gender: 'unknown' };
}

const PEOPLE = FAMILIES.map((family, i) => person(`p${String(i).padStart(2, '0')}`, family));
const BY_FAMILY = PEOPLE.map((p) => p.id!);
/** Seeded one after the other on a clock that moves 1 s per call: newest first is reverse order. */
const NEWEST_FIRST = [...BY_FAMILY].reverse();

function steppingClock(): () => Date {
  let now = Date.parse('2024-03-01T00:00:00Z');
  return () => new Date((now += 1000));
}

const ids = (pages: Bundle[]) => pages.flatMap(matchIds);

for (const kind of STORE_KINDS) {
  describe(`paging on the ${kind} store`, () => {
    let t: TestApp;
    afterEach(async () => t?.close());

    async function open(k: StoreKind, env: Record<string, string> = {}): Promise<TestApp> {
      t = await createTestApp({ kind: k, clock: steppingClock(), env, accessControl: false });
      await seed(t, PEOPLE);
      return t;
    }

    it('returns every match exactly once, in order, following next links', async () => {
      await open(kind);
      const bySort = await follow(t, '/fhir/Patient?_sort=family&_count=4');
      expect(bySort.map((p) => matchIds(p).length)).toEqual([4, 4, 4, 1]);
      expect(ids(bySort)).toEqual(BY_FAMILY);
      expect(bySort.every((p) => p.total === PEOPLE.length)).toBe(true);

      const byDefault = await follow(t, '/fhir/Patient?_count=5');
      expect(ids(byDefault)).toEqual(NEWEST_FIRST);
    });

    it('walks back from the last page to the first with previous links', async () => {
      await open(kind);
      for (const query of ['_sort=-family&_count=3', '_count=3', '_sort=gender,-family&_count=3']) {
        const forward = await follow(t, `/fhir/Patient?${query}`);
        const last = forward[forward.length - 1]!;
        expect(linkOf(last, 'next')).toBeUndefined();
        const backward = await follow(t, pathOf(linkOf(last, 'self')!), 'previous');
        expect(backward.map(matchIds)).toEqual(forward.map(matchIds).reverse());
        expect(linkOf(forward[0]!, 'previous')).toBeUndefined();
      }
    });

    it('neither repeats nor skips unchanged resources when others are created between two pages', async () => {
      await open(kind);
      const first = await getBundle(t, '/fhir/Patient?_sort=family&_count=4');
      expect(matchIds(first)).toEqual(BY_FAMILY.slice(0, 4));
      // One sorts into the page already read, one into the pages still to come.
      await seed(t, [person('new-early', 'Aaron'), person('new-late', 'Zola')]);
      const rest = await follow(t, pathOf(linkOf(first, 'next')!));
      expect(ids(rest)).toEqual([...BY_FAMILY.slice(4), 'new-late']);

      // Newest first: what is created while paging lands on page one, never on the pages ahead.
      const newest = await getBundle(t, '/fhir/Patient?_count=4');
      await seed(t, [person('newer', 'Martin')]);
      const after = await follow(t, pathOf(linkOf(newest, 'next')!));
      expect([...matchIds(newest), ...ids(after)]).toEqual(['new-late', 'new-early', ...NEWEST_FIRST]);
    });

    it('neither repeats nor skips unchanged resources when others are deleted or updated between two pages', async () => {
      await open(kind);
      const first = await getBundle(t, '/fhir/Patient?_sort=family&_count=4');
      await remove(t, 'Patient', BY_FAMILY[1]!); // on the page already read
      await remove(t, 'Patient', BY_FAMILY[9]!); // on a page still to come
      await put(t, `/fhir/Patient/${BY_FAMILY[2]}`, person(BY_FAMILY[2]!, 'Caron')); // updated, same key
      const rest = await follow(t, pathOf(linkOf(first, 'next')!));
      expect(ids(rest)).toEqual(BY_FAMILY.slice(4).filter((id) => id !== BY_FAMILY[9]));
      expect(rest[0]!.total).toBe(PEOPLE.length - 2);
    });

    it('keeps self on the page it describes and first on the first page', async () => {
      await open(kind);
      const first = await getBundle(t, '/fhir/Patient?_sort=family&_count=4');
      const second = await getBundle(t, pathOf(linkOf(first, 'next')!));
      expect(linkOf(second, 'self')).toBe(linkOf(first, 'next'));
      expect(linkOf(second, 'first')).toBe(linkOf(first, 'self'));
      expect(matchIds(await getBundle(t, pathOf(linkOf(second, 'self')!)))).toEqual(matchIds(second));
      expect(matchIds(await getBundle(t, pathOf(linkOf(second, 'previous')!)))).toEqual(matchIds(first));
    });

    it('uses the configured default page size and lowers _count above the maximum to it', async () => {
      await open(kind, { SEARCH_DEFAULT_COUNT: '3', SEARCH_MAX_COUNT: '5' });
      const byDefault = await getBundle(t, '/fhir/Patient');
      expect(matchIds(byDefault)).toHaveLength(3);
      const capped = await getBundle(t, '/fhir/Patient?_count=50');
      expect(matchIds(capped)).toHaveLength(5);
      expect(linkOf(capped, 'self')).toBe('http://localhost:8080/fhir/Patient?_count=5');
      expect(linkOf(capped, 'next')).toContain('_count=5');
      expect(ids(await follow(t, '/fhir/Patient?_count=50'))).toEqual(NEWEST_FIRST);
    });

    it('answers _count=0 and _summary=count with the total only, and _total=none without it', async () => {
      await open(kind);
      for (const query of ['_count=0', '_summary=count', '_summary=count&_total=none']) {
        const bundle = await getBundle(t, `/fhir/Patient?${query}`);
        expect(bundle.total).toBe(PEOPLE.length);
        expect(bundle.entry).toBeUndefined();
        expect(linkOf(bundle, 'next')).toBeUndefined();
      }
      const none = await getBundle(t, '/fhir/Patient?_total=none&_count=2');
      expect(none.total).toBeUndefined();
      expect(matchIds(none)).toHaveLength(2);
      expect(linkOf(none, 'next')).toContain('_total=none');
      for (const total of ['accurate', 'estimate']) {
        expect((await getBundle(t, `/fhir/Patient?_total=${total}&_count=2`)).total).toBe(PEOPLE.length);
      }
    });

    it('refuses a paging token it did not issue, or issued for another sort', async () => {
      await open(kind);
      const bad = await t.request.get('/fhir/Patient?_cursor=bm90LWEtdG9rZW4');
      expect(bad.status).toBe(400);
      expect(errorCode(bad.body)).toBe('INVALID_CURSOR');
      const first = await getBundle(t, '/fhir/Patient?_sort=family&_count=2');
      const token = new URL(linkOf(first, 'next')!).searchParams.get('_cursor')!;
      const other = await t.request.get(`/fhir/Patient?_sort=-family&_count=2&_cursor=${token}`);
      expect(other.status).toBe(400);
      expect(other.body.issue[0].code).toBe('invalid');
      expect(errorCode(other.body)).toBe('INVALID_CURSOR');
    });

    it('pages an empty result as one empty page', async () => {
      await open(kind);
      const empty = await getBundle(t, '/fhir/Patient?family=nobody&_count=2');
      expect(empty.total).toBe(0);
      expect(empty.entry).toBeUndefined();
      expect(empty.link?.map((l) => l.relation)).toEqual(['self', 'first']);
    });
  });
}
