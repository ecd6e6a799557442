import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded-store.js';
import type { Store } from '../../src/store/store.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = path.join(ROOT, 'test/store/fixtures/writer.ts');
const ACKS_BEFORE_KILL = 300;

/** Runs the writer until it has acknowledged `acks` commits, then kills it with SIGKILL. */
async function writeThenKill(dir: string, acks: number): Promise<Map<number, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lastAck = new Map<number, number>();
  let count = 0;
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error(`writer exited before being killed: ${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [w, i] = line.split(' ').map(Number) as [number, number];
        lastAck.set(w, Math.max(lastAck.get(w) ?? -1, i));
        if (++count === acks) {
          child.kill('SIGKILL');
          resolve();
        }
      }
    });
  });
  await exited;
  return lastAck;
}

describe('embedded store durability', () => {
  let dir: string | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    store = dir = undefined;
  });

  it('keeps every acknowledged commit, whole, after kill -9 of the writing process', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-durable-store-'));
    const acknowledged = await writeThenKill(dir, ACKS_BEFORE_KILL);
    expect([...acknowledged.values()].reduce((sum, last) => sum + last + 1, 0)).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    store = await openEmbeddedStore({ dir, indexPlan: { Pair: ['idx.pair'] } });
    for (const [w, last] of acknowledged) {
      for (let i = 0; i <= last; i++) {
        expect(await store.read('Pair', `a-${w}-${i}`), `a-${w}-${i}`).toMatchObject({ versionId: 1, resource: { id: `a-${w}-${i}` } });
        expect(await store.read('Pair', `b-${w}-${i}`), `b-${w}-${i}`).toMatchObject({ versionId: 1 });
      }
    }

    // no commit is half there: every pair is whole, and each worker's counter counts its pairs
    const rows = await store.find('Pair', { filter: {} });
    const byPair = new Map<string, string[]>();
    for (const row of rows) byPair.set(String(row.idx.pair![0]), [...(byPair.get(String(row.idx.pair![0])) ?? []), row.id]);
    for (const [pair, members] of byPair) expect(members.sort(), pair).toEqual([`a-${pair}`, `b-${pair}`]);
    for (const [w, last] of acknowledged) {
      const counter = await store.read('Counter', `c${w}`);
      const pairs = [...byPair.keys()].filter((p) => p.startsWith(`${w}-`)).length;
      expect(counter?.versionId).toBe(pairs);
      expect(pairs).toBeGreaterThanOrEqual(last + 1);
      expect(await store.historyCount('Counter', `c${w}`, {})).toBe(pairs);
      expect(await store.count('Pair', { 'idx.pair': `${w}-${last}` })).toBe(2);
    }
  }, 120_000);
});
