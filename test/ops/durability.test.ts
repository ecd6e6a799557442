import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server-process.js';

const patient = (i: number) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: `1800${String(i).padStart(11, '0')}` }],
  name: [{ family: `Durable${i}` }],
});

describe('durability of the embedded store', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-durable-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged write after kill -9 of the server', async () => {
    const env = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
    const first = await startServer(env);
    const acknowledged: string[] = [];
    const refused: number[] = [];
    let stop = false;
    const writer = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${first.base}/fhir/Patient`, {
            method: 'POST',
            headers: { 'content-type': 'application/fhir+json' },
            body: JSON.stringify(patient(worker * 100_000 + i)),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
          else refused.push(res.status);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const deadline = Date.now() + 60_000;
    while (acknowledged.length < 150 && refused.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    if (first.child.exitCode === null) await new Promise((r) => first.child.once('exit', r));
    expect(refused, first.output()).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    const second = await startServer(env);
    try {
      for (const id of acknowledged) {
        const res = await fetch(`${second.base}/fhir/Patient/${id}`);
        expect(res.status, id).toBe(200);
      }
    } finally {
      second.child.kill('SIGTERM');
    }
  }, 120_000);
});
