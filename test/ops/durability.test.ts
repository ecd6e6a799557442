import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { mintDevToken } from '../../src/access/dev-token.js';
import { loadConfig } from '../../src/config.js';
import { withInsKey } from '../../src/validation/ins.js';

const patient = (i: number) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: withInsKey(`1800${String(i).padStart(9, '0')}`) }],
  name: [{ family: `Durable${i}` }],
});

const TARGET_ACKS = 150;

describe('durability of the embedded store', () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-durable-'));
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write after kill -9 of the server', async () => {
    const env = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
    const first = await startServer(env);
    const authorization = `Bearer ${await mintDevToken(loadConfig(env), { role: 'reception', organization: '750712184' })}`;
    servers.push(first);
    const acknowledged: string[] = [];
    const refused: string[] = [];
    let stop = false;
    const writer = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${first.base}/fhir/Patient`, {
            method: 'POST',
            headers: { 'content-type': 'application/fhir+json', authorization },
            body: JSON.stringify(patient(worker * 100_000 + i)),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status === 201) acknowledged.push((JSON.parse(text) as { id: string }).id);
          else refused.push(`${res.status} ${text.slice(0, 200)}`);
        } catch {
          return; // the server is gone (or stopped answering)
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const deadline = Date.now() + 60_000;
    while (acknowledged.length < TARGET_ACKS && refused.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await exited;
    expect(refused, first.output()).toEqual([]);
    expect(acknowledged.length, 'acknowledged writes before the kill').toBeGreaterThanOrEqual(TARGET_ACKS);

    const second = await startServer(env);
    servers.push(second);
    const missing: string[] = [];
    for (const id of acknowledged) {
      const res = await fetch(`${second.base}/fhir/Patient/${id}`, { headers: { authorization }, signal: AbortSignal.timeout(10_000) });
      if (res.status !== 200) missing.push(`${id}: ${res.status}`);
    }
    second.child.kill('SIGTERM');
    expect(missing).toEqual([]);
  }, 150_000);
});
