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
  ])('refuses %s=%s with a clear message', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('stops the server at boot on a bad value, saying which', async () => {
    const { code, output } = await runServerExpectingExit({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(output).toContain('PORT must be a whole number');
  }, 30_000);
});
