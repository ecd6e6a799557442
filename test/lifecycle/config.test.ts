import { describe, expect, it } from 'vitest';
import { ConfigError, VARIABLES, loadConfig } from '../../src/config.js';

describe('configuration of the DMP lifecycle', () => {
  it('D5 D17 seeds the demo on a first start and names the Assurance Maladie by default', () => {
    const config = loadConfig({});
    expect(config.seedDemo).toBe(true);
    expect(config.insurer).toEqual({ finess: '750000093', name: 'Assurance Maladie' });
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig({ SEED_DEMO: '0' }).seedDemo).toBe(false);
    expect(loadConfig({ INSURER_ORGANIZATION_FINESS: '2A0000001', INSURER_ORGANIZATION_NAME: 'CPAM de Corse' }).insurer).toEqual({
      finess: '2A0000001',
      name: 'CPAM de Corse',
    });
  });

  it.each([
    ['SEED_DEMO', 'maybe', /SEED_DEMO must be true or false/],
    ['INSURER_ORGANIZATION_FINESS', '12345', /INSURER_ORGANIZATION_FINESS must be a 9-character FINESS/],
  ])('refuses %s=%s with a clear message', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('documents the new variables', () => {
    expect(VARIABLES.map((v) => v.name)).toEqual(expect.arrayContaining(['SEED_DEMO', 'INSURER_ORGANIZATION_FINESS', 'INSURER_ORGANIZATION_NAME']));
  });
});
