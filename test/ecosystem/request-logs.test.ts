import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loggablePath } from '../../src/http/logging.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A pino destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, text: () => lines.join('\n'), records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('request ids and logs', () => {
  it('echoes a well-formed X-Request-Id and logs the request under it', async () => {
    const logs = capture();
    t = await createTestApp({ logStream: logs.stream });
    const res = await t.request.get('/fhir/Organization').set('x-request-id', 'trace-42.abc');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('trace-42.abc');
    const lines = logs.records().filter((r) => r.reqId === 'trace-42.abc');
    expect(lines.map((r) => r.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
  });

  it('replaces an ill-formed X-Request-Id by a fresh one', async () => {
    t = await createTestApp();
    const res = await t.anonymous.get('/fhir/metadata').set('x-request-id', 'bad id\twith "quotes"');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const other = await t.anonymous.get('/fhir/metadata');
    expect(other.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
  });

  it('keeps names, INS, tokens and bodies out of the logs', async () => {
    const logs = capture();
    t = await createTestApp({ logStream: logs.stream });
    const token = await t.token({ role: 'admin' });
    await t.anonymous
      .get('/fhir/Patient?family=Moreau&given=Claire&identifier=urn:oid:1.2.250.1.213.1.4.8|278067511203412')
      .set('authorization', `Bearer ${token}`);
    await t.anonymous
      .post('/fhir/Patient')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/fhir+json')
      .send({ resourceType: 'Patient', name: [{ family: 'Durandal', given: ['Ophélie'] }], birthDate: '1961-02-03' });
    const text = logs.text();
    expect(text).toContain('/fhir/Patient?family&given&identifier');
    for (const secret of ['Moreau', 'Claire', '278067511203412', 'Durandal', 'Ophélie', '1961-02-03', token, 'Bearer']) {
      expect(text).not.toContain(secret);
    }
  });

  it('logs the path and the query parameter names only', () => {
    expect(loggablePath('/fhir/Patient?name=Dupont&name=Jean&_count=5')).toBe('/fhir/Patient?name&_count');
    expect(loggablePath('/fhir/Patient/demo-claire')).toBe('/fhir/Patient/demo-claire');
    expect(loggablePath('/fhir/Patient?')).toBe('/fhir/Patient');
  });
});
