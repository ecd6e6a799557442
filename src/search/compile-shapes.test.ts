import { describe, expect, it } from 'vitest';
import { compileCriteria, compileSort } from './compile.js';
import { parseSearch } from './parse.js';

/**
 * The filter shapes the compiler produces, one per form: the store contract suite must hold a case
 * for each (ARCHITECTURE.md: a new operator enters compile.ts only with a contract case).
 */

const BASE = 'https://dmp.example/fhir';
const NOW = new Date('2024-06-01T00:00:00Z');

async function filterOf(type: string, query: string) {
  const req = parseSearch(type, [...new URLSearchParams(query)], { lenient: false });
  const resolve = async (t: string) => (t === 'Patient' ? ['p1'] : []);
  const resolveValues = async () => ['Patient/p1', 'DocumentReference/d9', `${BASE}/Patient/p2`];
  return compileCriteria(type, req.criteria, resolve, { resolveValues, baseUrl: BASE, now: NOW });
}

const T = 'DocumentReference';
const LOINC = 'http://loinc.org';

describe('filter shapes', () => {
  const cases: Array<[string, string, string, unknown]> = [
    ['token: $in on the index key', T, 'type=http://loinc.org|1,2', { 'idx.type': { $in: [`${LOINC}|1`, '2'] } }],
    ['token :not: $nor of the $in', T, 'status:not=current', { $nor: [{ 'idx.status': { $in: ['current'] } }] }],
    ['token :text: $regex on the text key', T, 'type:text=Note', { 'idx.type:text': { $regex: '(^| )note' } }],
    ['token :of-type', 'Patient', 'identifier:of-type=s|MR|1', { 'idx.identifier:of-type': { $in: ['s|MR|1'] } }],
    ['string: anchored $regex', 'Patient', 'name=Hé.', { 'idx.name': { $regex: '^he\\.' } }],
    ['string :contains', 'Patient', 'name:contains=é', { 'idx.name': { $regex: 'e' } }],
    ['string :exact', 'Patient', 'name:exact=Hé', { 'idx.name:exact': { $in: ['Hé'] } }],
    ['string OR: $or of $regex', 'Patient', 'name=a,b', { $or: [{ 'idx.name': { $regex: '^a' } }, { 'idx.name': { $regex: '^b' } }] }],
    ['reference: both forms on our base', T, 'subject=Patient/p1', { 'idx.subject': { $in: ['Patient/p1', `${BASE}/Patient/p1`] } }],
    ['reference :identifier', T, 'subject:identifier=s|v', { 'idx.subject:identifier': { $in: ['s|v'] } }],
    ['reference :missing=true: $exists false on each key', T, 'subject:missing=true', { $and: [{ 'idx.subject': { $exists: false } }, { 'idx.subject:identifier': { $exists: false } }] }],
    ['reference :missing=false', T, 'subject:missing=false', { $or: [{ 'idx.subject': { $exists: true } }, { 'idx.subject:identifier': { $exists: true } }] }],
    ['string :missing=true', T, 'description:missing=true', { 'idx.description': { $exists: false } }],
    ['date eq: $elemMatch $gte/$lte', T, 'date=2019', { 'idx.date': { $elemMatch: { lo: { $gte: '2019-01-01T00:00:00.000Z' }, hi: { $lte: '2019-12-31T23:59:59.999Z' } } } }],
    ['date ne: $elemMatch $or $lt/$gt', T, 'date=ne2019', { 'idx.date': { $elemMatch: { $or: [{ lo: { $lt: '2019-01-01T00:00:00.000Z' } }, { hi: { $gt: '2019-12-31T23:59:59.999Z' } }] } } }],
    ['date gt', T, 'date=gt2019', { 'idx.date': { $elemMatch: { hi: { $gt: '2019-12-31T23:59:59.999Z' } } } }],
    ['_lastUpdated: on the row field', T, '_lastUpdated=2024', { lastUpdated: { $gte: '2024-01-01T00:00:00.000Z', $lte: '2024-12-31T23:59:59.999Z' } }],
    ['_lastUpdated ne', T, '_lastUpdated=ne2024', { $or: [{ lastUpdated: { $lt: '2024-01-01T00:00:00.000Z' } }, { lastUpdated: { $gt: '2024-12-31T23:59:59.999Z' } }] }],
    ['_id: $in on id', T, '_id=a,b', { id: { $in: ['a', 'b'] } }],
    ['uri :below', T, 'location:below=http://x/', { 'idx.location': { $regex: '^http://x/' } }],
    ['chain: $in of the resolved references', T, 'subject:Patient.name=x', { 'idx.subject': { $in: ['Patient/p1', `${BASE}/Patient/p1`] } }],
    ['_has: $in on id', 'Patient', '_has:DocumentReference:patient:status=current', { id: { $in: ['p1', 'p2'] } }],
    ['_list: $in on id', T, '_list=l1', { id: { $in: ['d9'] } }],
    ['AND: $and', T, 'status=current&_id=a', { $and: [{ 'idx.status': { $in: ['current'] } }, { id: { $in: ['a'] } }] }],
  ];
  for (const [what, type, query, expected] of cases) {
    it(`${what}: ${type}?${query}`, async () => {
      expect(await filterOf(type, query)).toEqual(expected);
    });
  }

  it('sorts on the :sort keys and the row fields', () => {
    expect(compileSort(T, [{ code: 'date', direction: -1 }, { code: '_lastUpdated', direction: 1 }, { code: '_id', direction: 1 }])).toEqual([
      ['idx.date:sort', -1],
      ['lastUpdated', 1],
      ['id', 1],
    ]);
  });
});
