import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const COLLECTION = fileURLToPath(new URL('../../scripts/postman/dmp-fhir-server.postman_collection.json', import.meta.url));

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-newman-'));
  server = await startServer({ DATA_DIR: dataDir });
}, 40_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await new Promise((r) => server?.child.once('exit', r));
  await rm(dataDir, { recursive: true, force: true });
});

function run(collection: unknown, baseUrl: string): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) =>
    newman.run({ collection, envVar: [{ key: 'baseUrl', value: baseUrl }], reporters: [] }, (err, summary) => (err ? reject(err) : resolve(summary))),
  );
}

describe('the Postman collection under newman', () => {
  it('passes every assertion against a started server with the demo data', async () => {
    const collection = JSON.parse(await readFile(COLLECTION, 'utf8'));
    const summary = await run(collection, server.base);
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.requests.total).toBeGreaterThanOrEqual(20);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(30);
    expect(summary.run.stats.assertions.failed).toBe(0);
    const { requests, assertions } = summary.run.stats;
    console.info(`newman: ${requests.total} requests, ${assertions.total} assertions, ${assertions.failed} failed`);
  }, 30_000);
});
