import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { r4Examples } from '../helpers/corpus.js';
import { put } from '../helpers/fhir.js';
import { RESOURCE_TYPES } from '../../src/fhir/registry.js';

const examples = r4Examples(RESOURCE_TYPES);

function withoutMeta(resource: Record<string, unknown>) {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

describe.each(STORE_KINDS)('the official R4 examples on the %s store', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterAll(() => t.close());

  it('finds examples of every supported type in the corpus (the corpus has no Communication)', () => {
    expect(examples.length).toBeGreaterThan(90);
    const types = new Set(examples.map((e) => e.resource.resourceType));
    expect([...types].sort()).toEqual(RESOURCE_TYPES.filter((t) => t !== 'Communication').sort());
  });

  it.each(examples.filter((e) => e.resource.resourceType !== 'AuditEvent').map((e) => [e.file, e] as const))(
    'accepts %s and reads it back equal apart from meta',
    async (_file, { resource }) => {
      const url = `/fhir/${resource.resourceType}/${resource.id}`;
      const res = await put(t, url, resource);
      expect([200, 201], res.text).toContain(res.status);
      const read = await t.request.get(url);
      expect(read.status).toBe(200);
      expect(withoutMeta(read.body)).toEqual(withoutMeta(resource));
      // versionId and lastUpdated are the server's (D6); every other meta element is kept.
      const serverManaged = ({ versionId: _v, lastUpdated: _l, ...rest }: Record<string, unknown> = {}) => rest;
      expect(serverManaged(read.body.meta)).toEqual(serverManaged(resource.meta as Record<string, unknown>));
    },
  );

  it('refuses every AuditEvent example with 405: AuditEvents are written by the server only (D13)', async () => {
    for (const { resource } of examples.filter((e) => e.resource.resourceType === 'AuditEvent')) {
      const res = await put(t, `/fhir/AuditEvent/${resource.id}`, resource);
      expect(res.status).toBe(405);
    }
  });
});
