import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { registerWebRoutes } from '../../src/http/web-routes.js';
import { registerSecurityHeaders } from '../../src/http/security-headers.js';
import { registerDevRoutes } from '../../src/http/dev-routes.js';
import { loadConfig } from '../../src/config.js';
import { DEMO_IDENTITIES } from '../../src/lifecycle/demo-identities.js';

describe('the web front-end at /', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-web-'));
    app = Fastify();
    await registerSecurityHeaders(app, loadConfig({ DATA_DIR: dir }));
  });
  afterEach(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the built page and its hashed assets, the assets cached for good and the page revalidated', async () => {
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>DMP</title><script type="module" src="./assets/index-abc.js"></script>');
    await writeFile(path.join(dir, 'assets', 'index-abc.js'), 'console.log("dmp")');
    await registerWebRoutes(app, dir);
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<title>DMP</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('serves a rebuild at once, without a restart', async () => {
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>v1</title>');
    await registerWebRoutes(app, dir);
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('v1');
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>v2</title><script src="./assets/index-new.js"></script>');
    await writeFile(path.join(dir, 'assets', 'index-new.js'), 'console.log(2)');
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('v2');
    expect((await app.inject({ method: 'GET', url: '/assets/index-new.js' })).statusCode).toBe(200);
  });

  it('lets the page run its own scripts and show fetched documents as blob: URLs, and nothing from elsewhere', async () => {
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>DMP</title>');
    await registerWebRoutes(app, dir);
    const csp = (await app.inject({ method: 'GET', url: '/' })).headers['content-security-policy'] as string;
    const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(directive('img-src')).toBe("img-src 'self' data: blob:");
    expect(directive('frame-src')).toBe("frame-src 'self' blob:");
    expect(directive('object-src')).toBe("object-src 'none'");
  });

  it('says in French how to build the page when dist/web is missing, never a 500', async () => {
    await registerWebRoutes(app, path.join(dir, 'absent'));
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('npm run build:web');
    expect(page.body).toContain('lang="fr"');
  });
});

describe('GET /dev/identities', () => {
  let t: TestApp | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await t?.close();
    await app?.close();
  });

  it('lists every demo identity with its label, what it shows and its token claims in development mode', async () => {
    t = await createTestApp();
    const res = await t.anonymous.get('/dev/identities');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.identities.map((i: { key: string }) => i.key)).toEqual(DEMO_IDENTITIES.map((i) => i.key));
    const holder = res.body.identities.find((i: { key: string }) => i.key === 'claire');
    expect(holder).toEqual({ key: 'claire', label: DEMO_IDENTITIES[0]!.label, shows: DEMO_IDENTITIES[0]!.shows, claims: DEMO_IDENTITIES[0]!.claims });
    // The listed claims mint a token the FHIR API accepts.
    const minted = await t.anonymous.post('/dev/token').send(holder.claims);
    expect(minted.status).toBe(200);
    expect((await t.anonymous.get('/fhir/Patient/demo-claire').set('authorization', `Bearer ${minted.body.access_token}`)).status).not.toBe(401);
  });

  it('does not exist outside development mode', async () => {
    const config = loadConfig({ AUTH_JWKS_URL: 'https://idp.example.fr/jwks', AUTH_ISSUER: 'https://idp.example.fr', AUTH_AUDIENCE: 'dmp' });
    app = Fastify();
    registerDevRoutes(app, config);
    expect((await app.inject({ method: 'GET', url: '/dev/identities' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/dev/token', payload: { role: 'admin' } })).statusCode).toBe(404);
  });
});
