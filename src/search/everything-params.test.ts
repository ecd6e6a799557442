import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { parseEverythingParams } from './everything-params.js';

const parse = (query: string, lenient = false) => parseEverythingParams([...new URLSearchParams(query)], { lenient });
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof FhirError ? `${err.status} ${err.code}` : 'other';
  }
  return 'none';
};

describe('the parameters of $everything', () => {
  it('reads _since as an instant in UTC, _type as a union of types, _count', () => {
    expect(parse('_since=2025-03-01T10:00:00%2B01:00&_type=DocumentReference,Binary&_type=Patient&_count=5')).toMatchObject({
      since: '2025-03-01T09:00:00.000Z',
      types: ['DocumentReference', 'Binary', 'Patient'],
      count: 5,
    });
  });

  it('takes an unescaped + in the offset of _since as meant', () => {
    expect(parse('_since=2025-03-01T10:00:00+01:00').since).toBe('2025-03-01T09:00:00.000Z');
  });

  it('refuses a _since without seconds or zone, an unknown type, a bad _count and unknown parameters', () => {
    expect(codeOf(() => parse('_since=2025-03-01'))).toBe('400 INVALID_PARAMETER');
    expect(codeOf(() => parse('_since=2025-03-01T10:00Z'))).toBe('400 INVALID_PARAMETER');
    expect(codeOf(() => parse('_type=Observation'))).toBe('400 UNSUPPORTED_TYPE');
    expect(codeOf(() => parse('_count=-1'))).toBe('400 INVALID_PARAMETER');
    expect(codeOf(() => parse('start=2020-01-01'))).toBe('400 UNKNOWN_PARAMETER');
  });

  it('ignores unknown parameters under lenient handling and leaves them out of the links', () => {
    expect(parse('start=2020-01-01&_count=2', true).selfPairs).toEqual([['_count', '2']]);
  });
});
