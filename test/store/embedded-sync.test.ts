import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { durably, openLayout, type EmbeddedDbs } from '../../src/store/embedded-layout.js';

/**
 * With overlapping sync, LMDB resolves a batch's commit and its flush separately: `durably` must
 * answer a write only once the flush promise taken when it was queued has settled, and must not
 * wait on a flush when the commit itself failed.
 */

let dir: string | undefined;
let dbs: EmbeddedDbs | undefined;
afterEach(async () => {
  await dbs?.env.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  dbs = dir = undefined;
});

async function openDbs(): Promise<EmbeddedDbs> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-embedded-sync-'));
  dbs = openLayout(dir);
  return dbs;
}

/** Replaces the environment's `flushed` with one the test settles; returns how to settle it. */
function holdFlush(target: EmbeddedDbs): { release: () => void; taken: () => number } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let taken = 0;
  Object.defineProperty(target.env, 'flushed', {
    configurable: true,
    get: () => {
      taken++;
      return gate;
    },
  });
  return { release, taken: () => taken };
}

describe('embedded store: acknowledged only once synced', () => {
  it('keeps a committed write unanswered until its flush has settled', async () => {
    const target = await openDbs();
    const flush = holdFlush(target);
    let answered = false;
    const write = durably(target, () => target.meta.put(['kv', 'held'], 'v')).then(() => (answered = true));
    expect(flush.taken()).toBe(1);
    await target.meta.committed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // the commit is done and visible, the flush is not: no answer yet
    expect(target.meta.get(['kv', 'held'])).toBe('v');
    expect(answered).toBe(false);
    flush.release();
    await write;
    expect(answered).toBe(true);
  });

  it('rejects at once when the commit fails, without waiting on a flush that will not come', async () => {
    const target = await openDbs();
    holdFlush(target);
    const failing = durably(target, () => target.env.childTransaction(() => {
      target.meta.put(['kv', 'aborted'], 'v');
      throw new Error('refused inside the transaction');
    }));
    await expect(failing).rejects.toThrow('refused inside the transaction');
    expect(target.meta.get(['kv', 'aborted'])).toBeUndefined();
  });

  it('answers real writes once LMDB has flushed them', async () => {
    const target = await openDbs();
    const writes = Array.from({ length: 20 }, (_, i) => durably(target, () => target.meta.put(['kv', `k${i}`], String(i))));
    await Promise.all(writes);
    for (let i = 0; i < 20; i++) expect(target.meta.get(['kv', `k${i}`])).toBe(String(i));
  });
});
