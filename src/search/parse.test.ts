import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { parseSearch } from './parse.js';

const pairs = (query: string) => [...new URLSearchParams(query)] as Array<[string, string]>;
const parse = (type: string, query: string, lenient = false) => parseSearch(type, pairs(query), { lenient });

function refusal(type: string, query: string, lenient = false): FhirError {
  try {
    parse(type, query, lenient);
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error(`${query} was accepted`);
}

describe('parseSearch', () => {
  it('reads comma-separated values as one OR-ed criterion and repeated parameters as AND-ed criteria', () => {
    const req = parse('DocumentReference', 'status=current,superseded&date=ge2019&date=lt2020');
    expect(req.criteria).toEqual([
      { code: 'status', values: ['current', 'superseded'], raw: ['current', 'superseded'] },
      { code: 'date', values: ['ge2019'], raw: ['ge2019'] },
      { code: 'date', values: ['lt2020'], raw: ['lt2020'] },
    ]);
  });

  it('keeps escaped separators inside one value', () => {
    const req = parse('Patient', 'identifier=urn:x|a\\,b\\|c,d');
    expect(req.criteria[0]!.values).toEqual(['urn:x|a,b|c', 'd']);
    expect(req.criteria[0]!.raw).toEqual(['urn:x|a\\,b\\|c', 'd']);
  });

  it('refuses a token value with two unescaped bars', () => {
    expect(refusal('Patient', 'identifier=a|b|c').code).toBe('INVALID_PARAMETER');
  });

  it('reads modifiers of string, token and reference parameters', () => {
    const req = parse('Patient', 'name:exact=Hélène&gender:not=male&organization:missing=true&identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|123');
    expect(req.criteria.map((c) => [c.code, c.modifier])).toEqual([
      ['name', 'exact'],
      ['gender', 'not'],
      ['organization', 'missing'],
      ['identifier', 'of-type'],
    ]);
  });

  it('refuses :above, :below and :in on tokens as not supported, naming the parameter', () => {
    for (const m of ['above', 'below', 'in']) {
      const error = refusal('DocumentReference', `type:${m}=x`);
      expect(error.status).toBe(400);
      expect(error.code).toBe('UNSUPPORTED_MODIFIER');
      expect(error.message).toContain(`type:${m}`);
      expect(error.message).toContain('not supported');
    }
  });

  it('refuses an unknown parameter with a message naming it', () => {
    const error = refusal('Patient', 'nickname=x');
    expect(error.code).toBe('UNKNOWN_PARAMETER');
    expect(error.message).toContain("'nickname'");
  });

  it('ignores unknown parameters under lenient handling and leaves them out of the self pairs', () => {
    const req = parse('Patient', 'nickname=x&family=Dupont&gender:below=x', true);
    expect(req.criteria.map((c) => c.code)).toEqual(['family']);
    expect(req.selfPairs).toEqual([['family', 'Dupont']]);
  });

  it('still refuses a malformed value of a known parameter under lenient handling', () => {
    expect(refusal('Patient', 'birthdate=2019-13', true).code).toBe('INVALID_PARAMETER');
  });

  it('refuses dates that are not valid FHIR dates', () => {
    for (const bad of ['2019-13', '2019-02-30', '2019-1-01', 'gt20190101', '2019-01-01T25:00:00Z', '2019-01-01T10:00:00+15:00', 'yesterday']) {
      expect(refusal('DocumentReference', `date=${encodeURIComponent(bad)}`).code).toBe('INVALID_PARAMETER');
    }
  });

  it('accepts every date prefix and precision', () => {
    const values = ['2019', 'eq2019-03', 'ne2019-03-01', 'gt2019-03-01T10:00', 'lt2019-03-01T10:00:00Z', 'ge2019-03-01T10:00:00.123+01:00', 'le2019', 'sa2019', 'eb2019', 'ap2019'];
    const req = parse('DocumentReference', values.map((v) => `date=${encodeURIComponent(v)}`).join('&'));
    expect(req.criteria).toHaveLength(values.length);
  });

  it('reads a time zone whose + arrived as a space', () => {
    expect(() => parse('DocumentReference', 'date=ge2019-03-01T10:00:00+01:00')).not.toThrow();
  });

  it('parses chained parameters into their links, the last one searched on the final type', () => {
    const [c] = parse('DocumentReference', 'subject:Patient.identifier=urn:oid:1.2.250.1.213.1.4.8|123').criteria;
    expect(c).toMatchObject({ code: 'subject', chain: [{ code: 'subject', type: 'Patient' }, { code: 'identifier' }] });
    const [multi] = parse('DocumentReference', 'author.organization.name=Hopital').criteria;
    expect(multi!.chain!.map((l) => l.code)).toEqual(['author', 'organization', 'name']);
  });

  it('refuses a chain through a parameter that is not a reference', () => {
    expect(refusal('DocumentReference', 'status.name=x').code).toBe('INVALID_PARAMETER');
    expect(refusal('DocumentReference', 'subject:Patient.nickname=x').code).toBe('UNKNOWN_PARAMETER');
  });

  it('parses _has, nested _has and a modifier on the innermost parameter', () => {
    const [c] = parse('Patient', '_has:DocumentReference:patient:type=http://loinc.org|11488-4').criteria;
    expect(c!.has).toMatchObject({ type: 'DocumentReference', reference: 'patient', inner: { code: 'type', values: ['http://loinc.org|11488-4'] } });
    const [nested] = parse('Patient', '_has:DocumentReference:patient:_has:List:item:status:not=current').criteria;
    expect(nested!.has!.inner.has).toMatchObject({ type: 'List', reference: 'item', inner: { code: 'status', modifier: 'not', values: ['current'] } });
  });

  it('refuses a _has whose reference cannot point to the searched type', () => {
    expect(refusal('Patient', '_has:DocumentReference:custodian:status=current').code).toBe('INVALID_PARAMETER');
  });

  it('reads the result parameters', () => {
    const req = parse('DocumentReference', '_sort=-date,_id&_count=0&_total=accurate&_summary=count&_elements=id,status&_format=json&_cursor=abc');
    expect(req.sort).toEqual([{ code: 'date', direction: -1 }, { code: '_id', direction: 1 }]);
    expect(req).toMatchObject({ count: 0, total: 'accurate', summary: 'count', elements: ['id', 'status'], cursor: 'abc' });
    expect(req.selfPairs.map(([n]) => n)).toEqual(['_sort', '_count', '_total', '_summary', '_elements', '_format']);
  });

  it('refuses a negative or fractional _count and an unknown _sort key', () => {
    expect(refusal('Patient', '_count=-1').code).toBe('INVALID_PARAMETER');
    expect(refusal('Patient', '_count=2.5').code).toBe('INVALID_PARAMETER');
    expect(refusal('Patient', '_sort=shoe-size').code).toBe('INVALID_PARAMETER');
    expect(refusal('Patient', '_count=1&_count=2').code).toBe('INVALID_PARAMETER');
  });

  it('reads _include and _revinclude with :iterate and *', () => {
    const req = parse('DocumentReference', '_include=DocumentReference:subject:Patient&_include:iterate=Patient:organization&_include=*&_revinclude=List:item');
    expect(req.include).toEqual([
      { sourceType: 'DocumentReference', param: 'subject', targetType: 'Patient', iterate: false },
      { sourceType: 'Patient', param: 'organization', iterate: true },
      { sourceType: '*', param: '*', iterate: false },
    ]);
    expect(req.revinclude).toEqual([{ sourceType: 'List', param: 'item', iterate: false }]);
  });

  it('refuses an _include of a parameter that is not a reference', () => {
    expect(refusal('DocumentReference', '_include=DocumentReference:status').code).toBe('INVALID_PARAMETER');
  });

  it('reads _id, _lastUpdated, _tag, _security, _profile and _list', () => {
    const req = parse('DocumentReference', '_id=a,b&_lastUpdated=gt2024-01-01&_tag=http://x|y&_security=urn:oid:1.2.250.1.213.1.1.4.13|MASQUE_PS&_profile=http://p&_list=l1');
    expect(req.criteria.map((c) => c.code)).toEqual(['_id', '_lastUpdated', '_tag', '_security', '_profile', '_list']);
  });

  it('refuses functional lists and unsupported common parameters', () => {
    expect(refusal('AllergyIntolerance', '_list=$current-allergies').code).toBe('INVALID_PARAMETER');
    expect(refusal('Patient', '_text=x').code).toBe('UNSUPPORTED_PARAMETER');
  });

  it('checks composite values part by part', () => {
    expect(parse('DocumentReference', 'relationship=replaces$DocumentReference/1').criteria).toHaveLength(1);
    expect(refusal('DocumentReference', 'relationship=replaces').code).toBe('INVALID_PARAMETER');
  });

  it('checks :missing values and reference forms', () => {
    expect(refusal('DocumentReference', 'subject:missing=maybe').code).toBe('INVALID_PARAMETER');
    expect(refusal('DocumentReference', 'subject=not a reference').code).toBe('INVALID_PARAMETER');
    expect(refusal('DocumentReference', 'subject:Patient=Practitioner/1').code).toBe('INVALID_PARAMETER');
    expect(refusal('DocumentReference', 'custodian:Patient=1').code).toBe('INVALID_PARAMETER');
  });

  it('ignores parameters given without a value', () => {
    expect(parse('Patient', 'family=&gender=male').criteria.map((c) => c.code)).toEqual(['gender']);
  });
});
