import type { DocumentReference, Organization } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLERS, doc, openAccessTestStore, type AccessTestStore } from '../access/test-fixture.js';
import { loadConfig, type Config } from '../config.js';
import { FhirError } from '../fhir/errors.js';
import type { RequestContext } from '../interactions/context.js';
import { ensureInsurerOrganization, insurerOrganizationId, withInsurerAuthor } from './insurer.js';

const FINESS_SYSTEM = 'https://finess.esante.gouv.fr';

let t: AccessTestStore;
let config: Config;
beforeEach(async () => {
  t = await openAccessTestStore([]);
  config = loadConfig({ DATA_DIR: '/nonexistent', INSURER_ORGANIZATION_FINESS: '750000093', INSURER_ORGANIZATION_NAME: 'CNAM (test)' });
});
afterEach(() => t.close());

const contextOf = (caller: (typeof CALLERS)[keyof typeof CALLERS]): RequestContext =>
  ({ services: { config, store: t.store, clock: () => new Date() }, baseUrl: config.baseUrl, guard: { caller } }) as unknown as RequestContext;

describe('D17 the insurer Organization', () => {
  it('is created when absent, with its FINESS and name, and traced', async () => {
    const reference = await ensureInsurerOrganization({ store: t.store, config, clock: () => new Date() });
    expect(reference).toBe(`Organization/${insurerOrganizationId(config.insurer)}`);
    const organization = (await t.store.read('Organization', insurerOrganizationId(config.insurer)))!.resource as Organization;
    expect(organization.identifier).toEqual([{ system: FINESS_SYSTEM, value: '750000093' }]);
    expect(organization.name).toBe('CNAM (test)');
    expect(await t.store.count('AuditEvent', {})).toBe(1);
    expect(await ensureInsurerOrganization({ store: t.store, config, clock: () => new Date() })).toBe(reference);
    expect(await t.store.count('AuditEvent', {})).toBe(1);
  });

  it('is the one an administrator already registered under that FINESS', async () => {
    await t.put([{ resource: { resourceType: 'Organization', id: 'cnam', identifier: [{ system: FINESS_SYSTEM, value: '750000093' }], name: 'CNAM' } as Organization }]);
    expect(await ensureInsurerOrganization({ store: t.store, config, clock: () => new Date() })).toBe('Organization/cnam');
    expect(await t.store.count('Organization', {})).toBe(1);
  });
});

describe('D17 the author of insurer-feed deposits', () => {
  const deposit = (): DocumentReference => {
    const { author: _author, ...rest } = doc('remb', 'alice', { type: ['https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire', 'REMB'], class: '60' });
    return rest;
  };

  it('is added by the server, pointing to the Organization when it exists', async () => {
    const before = (await withInsurerAuthor(contextOf(CALLERS.insurerFeed), 'DocumentReference', deposit())) as DocumentReference;
    expect(before.author).toEqual([{ identifier: { system: FINESS_SYSTEM, value: '750000093' }, display: 'CNAM (test)' }]);
    const reference = await ensureInsurerOrganization({ store: t.store, config, clock: () => new Date() });
    const after = (await withInsurerAuthor(contextOf(CALLERS.insurerFeed), 'DocumentReference', deposit())) as DocumentReference;
    expect(after.author?.[0]?.reference).toBe(reference);
  });

  it('refuses any other author, and keeps an author naming the insurer', async () => {
    const foreign = { ...deposit(), author: [{ identifier: { system: 'https://rpps.esante.gouv.fr', value: '10001000016' } }] };
    await expect(withInsurerAuthor(contextOf(CALLERS.insurerFeed), 'DocumentReference', foreign)).rejects.toSatisfy(
      (err) => err instanceof FhirError && err.status === 403 && err.code === 'AUTHOR_NOT_CALLER' && err.rule === 'D17',
    );
    const named = { ...deposit(), author: [{ reference: `Organization/${insurerOrganizationId(config.insurer)}` }] };
    expect(await withInsurerAuthor(contextOf(CALLERS.insurerFeed), 'DocumentReference', named)).toBe(named);
  });

  it('leaves other callers and types alone', async () => {
    const resource = deposit();
    expect(await withInsurerAuthor(contextOf(CALLERS.gp), 'DocumentReference', resource)).toBe(resource);
    expect(await withInsurerAuthor(contextOf(CALLERS.insurerFeed), 'List', resource)).toBe(resource);
  });
});
