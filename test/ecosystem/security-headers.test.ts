import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('security headers and CORS', () => {
  it('sends helmet headers on FHIR answers, errors included', async () => {
    t = await createTestApp();
    for (const res of [await t.anonymous.get('/fhir/metadata'), await t.anonymous.get('/fhir/Patient')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves the docs page under the helmet CSP, its scripts and styles from the same origin', async () => {
    t = await createTestApp();
    const page = await t.anonymous.get('/docs/').redirects(2);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    const scripts = [...page.text.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(page.text).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script the CSP would block
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      const asset = await t.anonymous.get(new URL(src, 'http://x/docs/').pathname);
      expect(asset.status).toBe(200);
    }
  });

  it('sends no CORS header when CORS_ORIGINS is unset', async () => {
    t = await createTestApp();
    const preflight = await t.anonymous
      .options('/fhir/Patient')
      .set('origin', 'https://app.example')
      .set('access-control-request-method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows a preflight from a configured origin and refuses one from another', async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example, https://other.example' } });
    const allowed = await t.anonymous
      .options('/fhir/Patient')
      .set('origin', 'https://app.example')
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'authorization');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/Authorization/i);
    const refused = await t.anonymous
      .options('/fhir/Patient')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});
