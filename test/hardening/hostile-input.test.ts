import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FHIR_JSON, created, patient } from '../helpers/fhir.js';
import { parseSearch } from '../../src/search/parse.js';
import { compileSearch } from '../../src/search/compile.js';

const MAX = 10 * 1024 * 1024;
const enc = encodeURIComponent;

let t: TestApp;
let known: { id: string };
beforeAll(async () => {
  t = await createTestApp({ accessControl: false, env: { MAX_BODY_BYTES: String(MAX) } });
  known = (await created(t, patient('Connu', 'Alice'))) as { id: string };
  await created(t, patient('Autre', 'Bob'));
});
afterAll(async () => {
  await t.close();
});

const send = (body: string | Buffer, url = '/fhir/Patient') => t.request.post(url).set('content-type', FHIR_JSON).send(body);

function expectOutcome(res: { status: number; body: { resourceType?: string; issue?: unknown[] } }, status: number | number[]) {
  expect(Array.isArray(status) ? status : [status]).toContain(res.status);
  expect(res.body.resourceType).toBe('OperationOutcome');
  expect(res.body.issue?.length).toBeGreaterThan(0);
}

async function patientCount(): Promise<number> {
  return (await t.request.get('/fhir/Patient?_summary=count')).body.total as number;
}

describe('deep and large bodies', () => {
  it('refuses JSON nested 10,000 levels deep with a 400, without a stack overflow', async () => {
    const deep = `{"resourceType":"Patient","extension":[{"url":"http://x","valueString":"a","x":${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`;
    expectOutcome(await send(deep), 400);
    const deepObjects = `{"resourceType":"Patient","a":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    expectOutcome(await send(deepObjects), 400);
    expect((await t.anonymous.get('/healthz')).status).toBe(200);
  });

  it('handles a huge string and a huge array within MAX_BODY_BYTES without a 5xx or 413', async () => {
    const longName = patient('X'.repeat(MAX / 2));
    const bigString = await send(JSON.stringify(longName));
    expect(bigString.status).toBeLessThan(500);
    expect(bigString.status).not.toBe(413);
    const manyNames = patient('Beaucoup', 'B', { name: Array.from({ length: 100_000 }, (_, i) => ({ family: `F${i}` })) });
    const bigArray = await send(JSON.stringify(manyNames));
    expect(bigArray.status).toBeLessThan(500);
    expect(bigArray.status).not.toBe(413);
  }, 60_000);

  it('answers 413 with an OperationOutcome for a body over MAX_BODY_BYTES', async () => {
    const before = await patientCount();
    expectOutcome(await send(JSON.stringify(patient('Y'.repeat(MAX + 10)))), 413);
    expect(await patientCount()).toBe(before);
  });
});

describe('prototype pollution', () => {
  const payloads = [
    '{"resourceType":"Patient","__proto__":{"polluted":"yes"}}',
    '{"resourceType":"Patient","name":[{"family":"P","__proto__":{"polluted":"yes"}}]}',
    '{"resourceType":"Patient","constructor":{"prototype":{"polluted":"yes"}}}',
    '{"resourceType":"Patient","name":[{"family":"P","constructor":{"prototype":{"polluted":"yes"}}}]}',
    '{"resourceType":"Patient","prototype":{"polluted":"yes"}}',
  ];
  it.each(payloads)('refuses %s with a 400 and pollutes nothing', async (body) => {
    const before = await patientCount();
    expectOutcome(await send(body), 400);
    expectOutcome(await t.request.put(`/fhir/Patient/${known.id}`).set('content-type', FHIR_JSON).send(body), 400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(await patientCount()).toBe(before);
  });

  it('refuses __proto__ inside a transaction Bundle entry', async () => {
    const body = `{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","__proto__":{"polluted":"yes"}},"request":{"method":"POST","url":"Patient"}}]}`;
    expectOutcome(await send(body, '/fhir'), [400, 422]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('MongoDB operators smuggled in', () => {
  it('refuses or stores literally an operator object in a resource field, never runs it', async () => {
    const body = JSON.stringify({ ...patient('Op'), gender: { $gt: '' } });
    expectOutcome(await send(body), [400, 422]);
    const inName = JSON.stringify({ ...patient('Op'), name: [{ family: { $ne: null } }] });
    expectOutcome(await send(inName), [400, 422]);
  });

  it.each([
    ['name[$ne]=x', 'name[$ne]=x'],
    ['_id={"$gt":""}', `_id=${enc('{"$gt":""}')}`],
    ['$where', `$where=${enc('function(){return true}')}`],
    ['identifier=$regex', `identifier=${enc('$regex')}`],
    ['name={"$regex":".*"}', `name=${enc('{"$regex":".*"}')}`],
    ['family=$ne', 'family=$ne'],
  ])('treats %s as a literal or refuses it, never matching everything', async (_label, query) => {
    const res = await t.request.get(`/fhir/Patient?${query}`);
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect(res.body.total ?? res.body.entry?.length ?? 0).toBe(0);
    else expectOutcome(res, [400, 422]);
  });

  it('compiles an operator-looking value into an equality, not an operator', async () => {
    const req = parseSearch('Patient', [['_id', '{"$gt":""}']], { lenient: false });
    const compiled = await compileSearch(req, async () => []);
    const text = JSON.stringify(compiled.filter);
    expect(text).not.toContain('"$gt"');
  });
});

describe('regular-expression denial of service through :contains', () => {
  it('compiles a pathological :contains value into an escaped regular expression', async () => {
    const req = parseSearch('Patient', [['name:contains', '(a+)+$']], { lenient: false });
    const compiled = await compileSearch(req, async () => []);
    const text = JSON.stringify(compiled.filter);
    expect(text).toContain(JSON.stringify('\\(a\\+\\)\\+\\$').slice(1, -1));
    expect(text).not.toContain('"(a+)+$"');
  });

  it('answers a :contains search of 50,000 characters after a pathological pattern', async () => {
    await created(t, patient('a'.repeat(50_000)));
    const res = await t.request.get(`/fhir/Patient?name:contains=${enc('(a+)+$')}`);
    expect(res.status).toBe(200);
    expect(res.body.total ?? res.body.entry?.length ?? 0).toBe(0);
    const long = await t.request.get(`/fhir/Patient?name:contains=${'a'.repeat(2_000)}${enc('!')}`);
    expect(long.status).toBeLessThan(500);
  });
});

describe('malformed JSON text (D9)', () => {
  it('refuses invalid UTF-8 with a 400', async () => {
    const valid = Buffer.from(JSON.stringify(patient('Octet')));
    const at = valid.indexOf('Octet');
    const broken = Buffer.concat([valid.subarray(0, at), Buffer.from([0xc3, 0x28, 0xff]), valid.subarray(at)]);
    const before = await patientCount();
    expectOutcome(await send(broken), 400);
    expect(await patientCount()).toBe(before);
  });

  it('refuses duplicate keys with a 400', async () => {
    const p = patient('Double');
    const text = JSON.stringify(p).replace('"gender":"female"', '"gender":"female","gender":"male"');
    expectOutcome(await send(text), 400);
    const nested = JSON.stringify(p).replace('"family":"Double"', '"family":"Double","family":"Triple"');
    expectOutcome(await send(nested), 400);
  });
});

describe('path traversal in ids', () => {
  it.each(['../../etc/passwd', '%2e%2e%2fetc%2fpasswd', '..%2f..%2fpackage.json', '..%5c..%5cpackage.json', '%2e%2e', 'a%00b'])(
    'answers %s with a clean 400/404, never a file',
    async (id) => {
      for (const res of [await t.request.get(`/fhir/Patient/${id}`), await t.request.get(`/fhir/Binary/${id}`), await t.request.delete(`/fhir/Patient/${id}`)]) {
        expect([400, 404, 405]).toContain(res.status);
        if (res.body.resourceType) expect(res.body.resourceType).toBe('OperationOutcome');
        expect(res.text).not.toContain('root:');
        expect(res.text).not.toContain('"devDependencies"');
      }
    },
  );
});

describe('header injection', () => {
  it('answers a clean 4xx or ignores a Prefer or If-None-Exist carrying encoded CR/LF', async () => {
    const before = await patientCount();
    const prefer = await send(JSON.stringify(patient('Entete'))).set('prefer', 'return=minimal%0d%0aSet-Cookie: x=1');
    expect(prefer.status).toBeLessThan(500);
    expect(prefer.headers['set-cookie']).toBeUndefined();
    const ifNone = await t.request
      .post('/fhir/Patient')
      .set('content-type', FHIR_JSON)
      .set('if-none-exist', 'identifier=%0d%0aSet-Cookie:%20x=1')
      .send(JSON.stringify(patient('Entete2')));
    expect(ifNone.status).toBeLessThan(500);
    expect(ifNone.headers['set-cookie']).toBeUndefined();
    if (ifNone.status >= 400) expectOutcome(ifNone, [400, 412, 422]);
    expect(await patientCount()).toBeLessThanOrEqual(before + 2);
  });

  it('is refused by Node itself when a header value holds a raw CR/LF', async () => {
    await expect(t.request.get('/fhir/metadata').set('prefer', 'a\r\nSet-Cookie: x=1').then((r) => r.status)).rejects.toThrow(/header/i);
  });
});
