import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FHIR_JSON, created, patient } from '../helpers/fhir.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { withFaults, type FaultyStore } from '../../src/store/faulty-store.js';
import { mintDevToken } from '../../src/access/dev-token.js';
import { loadConfig } from '../../src/config.js';

const TAG_SYSTEM = 'urn:test:bundle';
const PER_BUNDLE = 20;

function transaction(tag: string, size = PER_BUNDLE) {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: Array.from({ length: size }, (_, i) => {
      const p = patient(`Lot${i}`);
      p.identifier!.push({ system: TAG_SYSTEM, value: tag });
      return { resource: p, request: { method: 'POST', url: 'Patient' } };
    }),
  };
}

const servers: ServerProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function spawned() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-faults-'));
  dirs.push(dataDir);
  const env = { DATA_DIR: dataDir, SEED_DEMO: 'false' };
  const authorization = `Bearer ${await mintDevToken(loadConfig(env), { role: 'reception', organization: '750712184' })}`;
  return { env, authorization };
}

async function postBundle(base: string, authorization: string, tag: string, size = PER_BUNDLE) {
  const res = await fetch(`${base}/fhir`, {
    method: 'POST',
    headers: { 'content-type': FHIR_JSON, authorization },
    body: JSON.stringify(transaction(tag, size)),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

describe('kill -9 during transaction writes', () => {
  it('keeps every acknowledged Bundle whole and never half-applies one', async () => {
    const { env, authorization } = await spawned();
    const first = await startServer(env);
    servers.push(first);
    const acknowledged: string[] = [];
    const attempted: string[] = [];
    const refused: string[] = [];
    let stop = false;
    const client = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const tag = `w${worker}-b${i}`;
        attempted.push(tag);
        try {
          const res = await postBundle(first.base, authorization, tag);
          if (res.status === 200) acknowledged.push(tag);
          else refused.push(`${res.status} ${res.text.slice(0, 200)}`);
        } catch {
          return; // the server is gone
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    const deadline = Date.now() + 60_000;
    while (acknowledged.length < 20 && refused.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await exited;
    expect(refused, first.output()).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const second = await startServer(env);
    servers.push(second);
    const partial: string[] = [];
    const lost: string[] = [];
    let unacknowledgedWhole = 0;
    for (const tag of attempted) {
      const res = await fetch(`${second.base}/fhir/Patient?identifier=${encodeURIComponent(`${TAG_SYSTEM}|${tag}`)}&_summary=count`, {
        headers: { authorization },
        signal: AbortSignal.timeout(10_000),
      });
      expect(res.status).toBe(200);
      const total = ((await res.json()) as { total: number }).total;
      if (total !== 0 && total !== PER_BUNDLE) partial.push(`${tag}: ${total}`);
      if (acknowledged.includes(tag) && total !== PER_BUNDLE) lost.push(`${tag}: ${total}`);
      if (!acknowledged.includes(tag) && total === PER_BUNDLE) unacknowledgedWhole++;
    }
    second.child.kill('SIGTERM');
    expect(partial).toEqual([]);
    expect(lost).toEqual([]);
    const inFlight = attempted.filter((tag) => !acknowledged.includes(tag));
    console.info(
      `kill -9: ${acknowledged.length} acknowledged transaction Bundles of ${PER_BUNDLE} Patients (${acknowledged.length * PER_BUNDLE} resources) all whole after restart; ` +
        `${attempted.length} Bundles checked, ${inFlight.length} in flight at the kill (${unacknowledgedWhole} whole, ${inFlight.length - unacknowledgedWhole} absent), 0 half-applied`,
    );
  }, 150_000);
});

/**
 * A request whose headers and first half of the body reach the server now, and the rest after
 * `gate` resolves: it is in flight, deterministically, whatever the machine's speed.
 */
function slowRequest(base: string, path: string, headers: Record<string, string>, body: string, gate: Promise<unknown>) {
  return new Promise<number>((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    void gate.then(() => req.end(body.slice(half)));
  });
}

describe('graceful shutdown', () => {
  it('answers the requests in flight when SIGTERM arrives, then exits 0', async () => {
    const { env, authorization } = await spawned();
    const server = await startServer(env);
    servers.push(server);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const json = { 'content-type': FHIR_JSON, authorization };
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization };
    const inFlight = [
      ...[0, 1, 2].map((i) => slowRequest(server.base, '/fhir', json, JSON.stringify(transaction(`term${i}`)), gate)),
      ...[0, 1, 2].map((i) => slowRequest(server.base, '/fhir/Patient', json, JSON.stringify(patient(`Signal${i}`)), gate)),
      ...[0, 1, 2].map(() => slowRequest(server.base, '/fhir/Patient/_search', form, 'name=lot&_count=100', gate)),
    ];
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    expect(server.child.exitCode, 'the server waits for the requests in flight').toBeNull();
    release();
    expect(await Promise.all(inFlight)).toEqual([200, 200, 200, 201, 201, 201, 200, 200, 200]);
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('a store that becomes unreachable', () => {
  let t: TestApp;
  let faults: FaultyStore;
  afterEach(async () => {
    faults.setUnavailable(false);
    await t.close();
  });

  it('answers 503 OperationOutcomes while down and recovers without a restart', async () => {
    t = await createTestApp({ accessControl: false, wrapStore: (s) => (faults = withFaults(s)).store });
    const existing = await created(t, patient('Panne'));
    faults.setUnavailable(true);
    const down = [
      await t.request.get(`/fhir/Patient/${existing.id}`),
      await t.request.get('/fhir/Patient?name=panne'),
      await t.request.post('/fhir/Patient').set('content-type', FHIR_JSON).send(JSON.stringify(patient('Pendant'))),
    ];
    for (const res of down) {
      expect(res.status).toBe(503);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].code).toBeTruthy();
    }
    expect((await t.anonymous.get('/readyz')).status).toBe(503);

    faults.setUnavailable(false);
    expect((await t.anonymous.get('/readyz')).status).toBe(200);
    expect((await t.request.get(`/fhir/Patient/${existing.id}`)).status).toBe(200);
    expect((await t.request.get('/fhir/Patient?name=panne')).body.total).toBe(1);
    expect((await t.request.post('/fhir/Patient').set('content-type', FHIR_JSON).send(JSON.stringify(patient('Apres')))).status).toBe(201);
  });
});
