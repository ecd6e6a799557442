import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('rate limit of failed authentications', () => {
  it('answers 429 with Retry-After and an OperationOutcome after N failures from one client, while valid tokens still work', async () => {
    t = await createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: '3' } });
    for (let i = 0; i < 3; i++) {
      const res = await t.anonymous.get('/fhir/Patient').set('authorization', 'Bearer not-a-token');
      expect(res.status).toBe(401);
    }
    const limited = await t.anonymous.get('/fhir/Patient').set('authorization', 'Bearer not-a-token');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.body.resourceType).toBe('OperationOutcome');
    expect(limited.body.issue[0].code).toBe('throttled');
    expect(limited.body.issue[0].details.coding[0].code).toBe('TOO_MANY_AUTH_FAILURES');
    const missing = await t.anonymous.get('/fhir/Patient');
    expect(missing.status).toBe(429);

    const valid = await t.request.get('/fhir/Organization');
    expect(valid.status).toBe(200);
    expect(valid.body.resourceType).toBe('Bundle');
  });

  it('counts failures only: many successful requests never reach the limit', async () => {
    t = await createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: '2' } });
    for (let i = 0; i < 5; i++) expect((await t.request.get('/fhir/Organization')).status).toBe(200);
    expect((await t.anonymous.get('/fhir/Organization')).status).toBe(401);
    expect((await t.anonymous.get('/fhir/metadata')).status).toBe(200);
  });

  it('refuses a bad AUTH_FAILURE_RATE_LIMIT at start-up', async () => {
    await expect(createTestApp({ env: { AUTH_FAILURE_RATE_LIMIT: 'lots' } })).rejects.toThrow(/AUTH_FAILURE_RATE_LIMIT/);
  });
});
