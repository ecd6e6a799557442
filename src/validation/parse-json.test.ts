import { describe, expect, it } from 'vitest';
import { FhirError } from '../fhir/errors.js';
import { parseFhirJson, readFhirJson } from './parse-json.js';

/** The FhirError parseFhirJson throws for a body. */
function refusal(body: Buffer | string): FhirError {
  try {
    parseFhirJson(body);
  } catch (error) {
    if (error instanceof FhirError) return error;
    throw error;
  }
  throw new Error('the body was accepted');
}

const codeOf = (error: FhirError) => error.issues.map((i) => i.details?.coding?.[0]?.code);
const expressionsOf = (error: FhirError) => error.issues.map((i) => i.expression?.[0]);

describe('parseFhirJson', () => {
  it('returns the parsed value of a valid resource', () => {
    const parsed = parseFhirJson(Buffer.from('{"resourceType":"Patient","active":true}'));
    expect(parsed.value).toEqual({ resourceType: 'Patient', active: true });
  });

  it('refuses bytes that are not UTF-8, naming the offset of the first bad byte', () => {
    const body = Buffer.concat([Buffer.from('{"resourceType":"Patient","name":[{"family":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]);
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(codeOf(error)).toEqual(['INVALID_UTF8']);
    expect(error.issues[0]!.diagnostics).toContain('byte offset 45');
  });

  it('refuses an overlong UTF-8 encoding and a UTF-16 surrogate written as UTF-8', () => {
    expect(codeOf(refusal(Buffer.from([0x7b, 0xc0, 0xaf, 0x7d])))).toEqual(['INVALID_UTF8']);
    expect(codeOf(refusal(Buffer.from([0x7b, 0xed, 0xa0, 0x80, 0x7d])))).toEqual(['INVALID_UTF8']);
  });

  it('accepts multi-byte UTF-8 such as French accents', () => {
    const parsed = parseFhirJson(Buffer.from('{"resourceType":"Patient","name":[{"family":"Lefèvre-Łukasz 😀"}]}'));
    expect((parsed.value as { name: Array<{ family: string }> }).name[0]!.family).toBe('Lefèvre-Łukasz 😀');
  });

  it('ignores a leading byte order mark, in bytes and in a string', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"resourceType":"Patient"}')]);
    expect(parseFhirJson(withBom).value).toEqual({ resourceType: 'Patient' });
    expect(parseFhirJson('\uFEFF{"resourceType":"Patient"}').value).toEqual({ resourceType: 'Patient' });
  });

  it('reports a syntax error with its line, column and path', () => {
    const error = refusal('{\n  "resourceType": "Patient",\n  "name": [{ "family": "A" "given": ["B"] }]\n}');
    expect(error.status).toBe(400);
    expect(codeOf(error)).toEqual(['INVALID_JSON']);
    expect(error.issues[0]!.diagnostics).toMatch(/line 3, column 28/);
    expect(error.issues[0]!.location).toEqual(['Line[3] Col[28]']);
    expect(error.issues[0]!.expression).toEqual(['Patient.name[0].family']);
  });

  it('refuses comments and trailing commas, which are not JSON', () => {
    expect(codeOf(refusal('{"resourceType":"Patient", // comment\n "active": true}'))).toEqual(['INVALID_JSON']);
    expect(codeOf(refusal('{"resourceType":"Patient","active":true,}'))).toEqual(['INVALID_JSON']);
  });

  it('refuses an empty body', () => {
    expect(codeOf(refusal(''))).toEqual(['INVALID_JSON']);
  });

  it('refuses a body whose top level is not an object', () => {
    for (const body of ['[{"resourceType":"Patient"}]', '"Patient"', '42', 'null']) {
      const error = refusal(body);
      expect(error.status).toBe(400);
      expect(codeOf(error)).toEqual(['INVALID_JSON']);
    }
  });

  it('refuses a duplicate key anywhere, naming its path', () => {
    const error = refusal('{"resourceType":"Patient","name":[{"given":["A"]},{"family":"B","family":"C"}]}');
    expect(codeOf(error)).toEqual(['DUPLICATE_KEY']);
    expect(expressionsOf(error)).toEqual(['Patient.name[1].family']);
    expect(codeOf(refusal('{"resourceType":"Patient","resourceType":"Patient"}'))).toEqual(['DUPLICATE_KEY']);
  });

  it('refuses empty strings, arrays and objects, naming each', () => {
    const error = refusal('{"resourceType":"Patient","gender":"","name":[],"maritalStatus":{},"address":[{"line":["1 rue X",""]}]}');
    expect(error.status).toBe(400);
    expect(new Set(codeOf(error))).toEqual(new Set(['EMPTY_VALUE']));
    expect(expressionsOf(error)).toEqual(expect.arrayContaining([
      'Patient.gender', 'Patient.name', 'Patient.maritalStatus', 'Patient.address[0].line[1]',
    ]));
  });

  it('refuses an element that has only an id, which FHIR counts as empty (ele-1)', () => {
    const error = refusal('{"resourceType":"Patient","name":[{"id":"n1"}]}');
    expect(codeOf(error)).toEqual(['EMPTY_VALUE']);
    expect(expressionsOf(error)).toEqual(['Patient.name[0]']);
  });

  it('refuses null outside arrays', () => {
    const error = refusal('{"resourceType":"Patient","birthDate":null}');
    expect(codeOf(error)).toEqual(['MISPLACED_NULL']);
    expect(expressionsOf(error)).toEqual(['Patient.birthDate']);
  });

  it('accepts nulls that keep a repeating primitive aligned with its extensions', () => {
    const body = '{"resourceType":"Patient","name":[{"given":["Jean",null],"_given":[null,{"extension":[{"url":"http://e","valueString":"x"}]}]}]}';
    expect(() => parseFhirJson(body)).not.toThrow();
  });

  it('refuses a null with no extension beside it, and misaligned arrays', () => {
    const lone = refusal('{"resourceType":"Patient","name":[{"given":["Jean",null]}]}');
    expect(codeOf(lone)).toEqual(['MISPLACED_NULL']);
    expect(expressionsOf(lone)).toEqual(['Patient.name[0].given[1]']);
    const misaligned = refusal('{"resourceType":"Patient","name":[{"given":["A","B"],"_given":[{"id":"x","extension":[{"url":"http://e","valueString":"x"}]}]}]}');
    expect(codeOf(misaligned)).toContain('MISPLACED_NULL');
  });

  it('remembers numbers written with a decimal point or exponent, by JSON pointer', () => {
    const parsed = parseFhirJson('{"resourceType":"Patient","multipleBirthInteger":2.0,"x":[1,1e3,7]}');
    expect([...parsed.decimalLiterals]).toEqual([['/multipleBirthInteger', '2.0'], ['/x/1', '1e3']]);
  });

  it('keeps __proto__, constructor and prototype as plain own keys, polluting nothing', () => {
    const parsed = parseFhirJson('{"resourceType":"Patient","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    const value = parsed.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['resourceType', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses hostile nesting with a 400 rather than a crash', () => {
    const depth = 100_000;
    const error = refusal(`{"resourceType":"Patient","x":${'['.repeat(depth)}1${']'.repeat(depth)}}`);
    expect(error.status).toBe(400);
    expect(codeOf(error)).toEqual(['INVALID_JSON']);
  });

  it('reports instead of throwing through readFhirJson, for $validate', () => {
    const { parsed, issues } = readFhirJson('{"resourceType":"Patient","gender":""}');
    expect(parsed?.value).toEqual({ resourceType: 'Patient', gender: '' });
    expect(issues.map((i) => i.details?.coding?.[0]?.code)).toEqual(['EMPTY_VALUE']);
    expect(readFhirJson('{').parsed).toBeUndefined();
    const notUtf8 = readFhirJson(Buffer.from([0x7b, 0xff, 0x7d]));
    expect(notUtf8.parsed).toBeUndefined();
    expect(notUtf8.issues.map((i) => i.details?.coding?.[0]?.code)).toEqual(['INVALID_UTF8']);
  });
});
