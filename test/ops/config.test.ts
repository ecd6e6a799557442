import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { runServerExpectingExit } from '../helpers/server-process.js';

describe('configuration', () => {
  it('has working defaults when no variable is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.baseUrl).toBe('http://localhost:8080/fhir');
    expect(config.mongodbUri).toBeUndefined();
    expect(config.dataDir).toMatch(/data$/);
  });

  it('drops a trailing slash from FHIR_BASE_URL', () => {
    expect(loadConfig({ FHIR_BASE_URL: 'https://dmp.example.fr/fhir/' }).baseUrl).toBe('https://dmp.example.fr/fhir');
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between/],
    ['FHIR_BASE_URL', 'not a url', /FHIR_BASE_URL must be an absolute URL/],
    ['FHIR_BASE_URL', 'ftp://x/fhir', /FHIR_BASE_URL must use/],
    ['MONGODB_URI', 'http://db', /MONGODB_URI must use mongodb/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['MAX_BODY_BYTES', '100', /MAX_BODY_BYTES must be between/],
    ['TRUST_PROXY', 'yes', /TRUST_PROXY must be true, false, a hop count or comma-separated/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY must be/],
    ['TRUST_PROXY', '10.0.0.1,proxy.example', /"proxy\.example"/],
    ['TRUST_PROXY', '101', /TRUST_PROXY as a hop count must be between 0 and 100/],
  ])('refuses %s=%s with a clear message', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['true', true],
    ['TRUE', true],
    ['2', 2],
    ['10.0.0.0/8, 192.0.2.7', ['10.0.0.0/8', '192.0.2.7']],
    ['loopback,fd00::/8,::1', ['loopback', 'fd00::/8', '::1']],
  ])('reads TRUST_PROXY=%s as fastify trustProxy %j', (raw, expected) => {
    expect(loadConfig(raw === undefined ? {} : { TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it('stops the server at boot on a bad value, saying which', async () => {
    const { code, output } = await runServerExpectingExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be a whole number');
  }, 30_000);
});
