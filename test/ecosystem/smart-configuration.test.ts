import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { loadConfig } from '../../src/config.js';
import { smartConfiguration } from '../../src/fhir/smart.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('SMART discovery', () => {
  it('is public and names the issuer, the keys and development mode\'s token endpoint', async () => {
    t = await createTestApp();
    const res = await t.anonymous.get('/fhir/.well-known/smart-configuration');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({
      issuer: 'http://localhost:8080',
      jwks_uri: 'http://localhost:8080/.well-known/jwks.json',
      token_endpoint: 'http://localhost:8080/dev/token',
      code_challenge_methods_supported: ['S256'],
    });
    expect(res.body.capabilities).toEqual(expect.arrayContaining(['permission-v2', 'client-confidential-asymmetric']));
    expect(res.body.scopes_supported).toEqual(expect.arrayContaining(['patient/*.rs', 'user/*.cruds']));
    expect(res.body.code_challenge_methods_supported).not.toContain('plain');
    expect((await t.anonymous.get('/fhir/.well-known/smart-configuration/')).status).toBe(200);
  });

  it('declares SMART-on-FHIR security with the oauth-uris extension in the CapabilityStatement', async () => {
    t = await createTestApp();
    const { body } = await t.anonymous.get('/fhir/metadata');
    const security = body.rest[0].security;
    expect(security.service[0].coding[0]).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' });
    const uris = security.extension.find((e: { url: string }) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(uris.extension).toContainEqual({ url: 'token', valueUri: 'http://localhost:8080/dev/token' });
  });

  it('publishes the configured endpoints of a real identity provider, and no /dev/token', () => {
    const config = loadConfig({
      DATA_DIR: '/nonexistent',
      AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json',
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'http://localhost:8080/fhir',
      SMART_AUTHORIZE_URL: 'https://idp.example/authorize',
      SMART_TOKEN_URL: 'https://idp.example/token',
    });
    const body = smartConfiguration(config);
    expect(body).toMatchObject({
      issuer: 'https://idp.example',
      jwks_uri: 'http://127.0.0.1:9/jwks.json',
      authorization_endpoint: 'https://idp.example/authorize',
      token_endpoint: 'https://idp.example/token',
    });
    expect(body.grant_types_supported).toContain('authorization_code');
    const withoutUrls = smartConfiguration(loadConfig({ DATA_DIR: '/nonexistent', AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json', AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'x' }));
    expect(withoutUrls.token_endpoint).toBeUndefined();
  });

  it('refuses a SMART_TOKEN_URL that is not a URL', () => {
    expect(() => loadConfig({ SMART_TOKEN_URL: 'token' })).toThrow(/SMART_TOKEN_URL/);
  });
});
