import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'fhir-kit-client';
import type { Bundle, Organization } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { demoIdentity } from '../../src/lifecycle/demo-identities.js';

/** Black-box: `fhir-kit-client` from npm against `src/main.ts` started as `npm start` does (demo data seeded). */
let server: ServerProcess;
let dataDir: string;

async function clientAs(key: string): Promise<Client> {
  const res = await fetch(`${server.base}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoIdentity(key).claims),
  });
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  return new Client({ baseUrl: `${server.base}/fhir`, bearerToken: access_token });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-fkc-'));
  server = await startServer({ DATA_DIR: dataDir });
}, 40_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await new Promise((r) => server?.child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
});

describe('fhir-kit-client against a started server', () => {
  it('creates, reads, updates, reads the history of and deletes an Organization', async () => {
    const admin = await clientAs('admin');
    const created = (await admin.create({ resourceType: 'Organization', body: { resourceType: 'Organization', name: 'Cabinet Kit' } })) as unknown as Organization;
    expect(created.id).toBeTruthy();
    expect(created.meta?.versionId).toBe('1');
    const read = (await admin.read({ resourceType: 'Organization', id: created.id! })) as unknown as Organization;
    expect(read.name).toBe('Cabinet Kit');
    const updated = (await admin.update({ resourceType: 'Organization', id: created.id!, body: { ...read, name: 'Cabinet Kit bis' } })) as unknown as Organization;
    expect(updated.meta?.versionId).toBe('2');
    const history = (await admin.history({ resourceType: 'Organization', id: created.id! })) as unknown as Bundle;
    expect(history.type).toBe('history');
    expect(history.entry?.map((e) => (e.resource as Organization).meta?.versionId)).toEqual(['2', '1']);
    await admin.delete({ resourceType: 'Organization', id: created.id! });
    await expect(admin.read({ resourceType: 'Organization', id: created.id! })).rejects.toMatchObject({ response: { status: 410 } });
  });

  it('searches with paging through nextPage', async () => {
    const admin = await clientAs('admin');
    for (const n of [1, 2, 3, 4, 5]) {
      await admin.create({ resourceType: 'Organization', body: { resourceType: 'Organization', name: `Pagination Kit ${n}` } });
    }
    const seen: string[] = [];
    let page = (await admin.search({ resourceType: 'Organization', searchParams: { name: 'Pagination Kit', _count: 2 } })) as unknown as Bundle;
    expect(page.total).toBe(5);
    for (let guard = 0; guard < 5; guard++) {
      seen.push(...(page.entry ?? []).map((e) => (e.resource as Organization).name!));
      const next = admin.nextPage({ bundle: page as never });
      if (!next) break;
      page = (await next) as unknown as Bundle;
    }
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `Pagination Kit ${n}`));
  });

  it('posts a transaction whose entries reference each other', async () => {
    const admin = await clientAs('admin');
    const result = (await admin.transaction({
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:5a0d2a0c-59c6-4d1e-9d6c-000000000001', resource: { resourceType: 'Organization', name: 'Groupe Kit' }, request: { method: 'POST', url: 'Organization' } },
          {
            fullUrl: 'urn:uuid:5a0d2a0c-59c6-4d1e-9d6c-000000000002',
            resource: { resourceType: 'Organization', name: 'Site Kit', partOf: { reference: 'urn:uuid:5a0d2a0c-59c6-4d1e-9d6c-000000000001' } },
            request: { method: 'POST', url: 'Organization' },
          },
        ],
      },
    })) as unknown as Bundle;
    expect(result.type).toBe('transaction-response');
    expect(result.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '201 Created']);
    const parentId = result.entry![0]!.response!.location!.split('/')[1]!;
    const childId = result.entry![1]!.response!.location!.split('/')[1]!;
    const child = (await admin.read({ resourceType: 'Organization', id: childId })) as unknown as Organization;
    expect(child.partOf?.reference).toBe(`Organization/${parentId}`);
  });

  it("runs Patient/$everything as the holder's GP", async () => {
    const gp = await clientAs('gp');
    const everything = (await gp.operation({ name: '$everything', resourceType: 'Patient', id: 'demo-claire', method: 'GET' })) as unknown as Bundle;
    expect(everything.resourceType).toBe('Bundle');
    const types = new Set(everything.entry?.map((e) => e.resource?.resourceType));
    expect(types).toContain('Patient');
    expect(types).toContain('DocumentReference');
  });
});
