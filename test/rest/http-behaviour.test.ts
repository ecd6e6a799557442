import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { created, errorCode, patient, post } from '../helpers/fhir.js';

describe('HTTP behaviour of the FHIR API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ accessControl: false, env: { MAX_BODY_BYTES: String(10 * 1024 * 1024) } });
  });
  afterEach(() => t.close());

  it('returns nothing with Prefer: return=minimal and an OperationOutcome when asked', async () => {
    const minimal = await post(t, '/fhir/Patient', patient(), { prefer: 'return=minimal' });
    expect(minimal.status).toBe(201);
    expect(minimal.text).toBe('');
    expect(minimal.headers.location).toMatch(/\/fhir\/Patient\/.+\/_history\/1$/);
    const outcome = await post(t, '/fhir/Patient', patient(), { prefer: 'return=OperationOutcome' });
    expect(outcome.status).toBe(201);
    expect(outcome.body.resourceType).toBe('OperationOutcome');
    const full = await post(t, '/fhir/Patient', patient(), { prefer: 'return=representation' });
    expect(full.body.resourceType).toBe('Patient');
  });

  it('answers in application/json when asked through Accept or _format', async () => {
    const p = await created(t, patient());
    const accept = await t.request.get(`/fhir/Patient/${p.id}`).set('accept', 'application/json');
    expect(accept.headers['content-type']).toBe('application/json; charset=utf-8');
    const format = await t.request.get(`/fhir/Patient/${p.id}?_format=json`);
    expect(format.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(format.body.id).toBe(p.id);
  });

  it('answers 406 with an OperationOutcome when only XML is acceptable', async () => {
    const p = await created(t, patient());
    const res = await t.request.get(`/fhir/Patient/${p.id}`).set('accept', 'application/fhir+xml');
    expect(res.status).toBe(406);
    expect(JSON.parse(res.text).resourceType).toBe('OperationOutcome');
    expect((await t.request.get(`/fhir/Patient/${p.id}?_format=xml`)).status).toBe(406);
  });

  it('pretty-prints with _pretty=true', async () => {
    const p = await created(t, patient());
    const res = await t.request.get(`/fhir/Patient/${p.id}?_pretty=true`);
    expect(res.text).toContain('\n  "resourceType": "Patient"');
    expect((await t.request.get(`/fhir/Patient/${p.id}`)).text).not.toContain('\n');
  });

  it('serves every route with or without a trailing slash', async () => {
    expect((await t.request.get('/fhir/metadata/')).status).toBe(200);
    const p = await created(t, patient());
    expect((await t.request.get(`/fhir/Patient/${p.id}/`)).status).toBe(200);
    expect((await post(t, '/fhir/Patient/', patient())).status).toBe(201);
  });

  it('answers 400 to malformed JSON and 415 to an unsupported media type', async () => {
    const bad = await t.request.post('/fhir/Patient').set('content-type', 'application/fhir+json').send('{"resourceType": "Patient",');
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
    const xml = await t.request.post('/fhir/Patient').set('content-type', 'application/fhir+xml').send('<Patient/>');
    expect(xml.status).toBe(415);
    expect(xml.body.resourceType).toBe('OperationOutcome');
    const text = await t.request.post('/fhir/Patient').set('content-type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
  });

  it('answers 400 with the location of each problem for an invalid resource', async () => {
    const res = await post(t, '/fhir/Patient', { resourceType: 'Patient', birthDate: 'yesterday', foo: 1 });
    expect(res.status).toBe(400);
    const expressions = res.body.issue.flatMap((i: { expression?: string[] }) => i.expression ?? []);
    expect(expressions.join(' ')).toContain('birthDate');
    expect(expressions.join(' ')).toContain('foo');
  });

  it('answers 413 to a body over the limit', async () => {
    const huge = { ...patient(), text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${'a'.repeat(11 * 1024 * 1024)}</div>` } };
    const res = await post(t, '/fhir/Patient', huge);
    expect(res.status).toBe(413);
    expect(res.body.resourceType).toBe('OperationOutcome');
  });

  it('answers 404 to an unknown route and 405 to a wrong method', async () => {
    const unknown = await t.request.get('/nowhere');
    expect(unknown.status).toBe(404);
    expect(errorCode(unknown.body)).toBe('UNKNOWN_ROUTE');
    const p = await created(t, patient());
    const wrong = await post(t, `/fhir/Patient/${p.id}`, patient());
    expect(wrong.status).toBe(405);
    expect(errorCode(wrong.body)).toBe('METHOD_NOT_ALLOWED');
    expect((await t.request.delete('/fhir/Patient/_history')).status).toBe(405);
  });

  it('serves the OpenAPI document and its docs page', async () => {
    const doc = await t.request.get('/fhir/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toContain('/fhir/Patient/{id}');
    expect(doc.body.paths['/fhir/DocumentReference'].post.summary).toBe('Create a DocumentReference');
    const page = await t.request.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });
});

describe('authentication on the FHIR API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('answers 401 with WWW-Authenticate and an OperationOutcome to a resource request without a token', async () => {
    for (const url of ['/fhir/Patient', '/fhir/Patient/x', '/fhir/Patient/x/_history', '/fhir/Observation']) {
      const res = await t.anonymous.get(url);
      expect(res.status, url).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(errorCode(res.body)).toBe('MISSING_TOKEN');
    }
  });

  it('serves the public endpoints without a token (D2)', async () => {
    for (const url of ['/fhir/metadata', '/fhir/openapi.json', '/healthz', '/readyz', '/.well-known/jwks.json']) {
      expect((await t.anonymous.get(url)).status, url).toBe(200);
    }
  });
});
