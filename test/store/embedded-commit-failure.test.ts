import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = path.join(ROOT, 'test/store/fixtures/disk-full.ts');

interface Outcome {
  failed: boolean;
  name: string;
  unavailable: boolean;
  unhandled: string[];
  stillReads: boolean;
  counted: number;
}

/** Runs the fixture with files limited to `kib` KiB; resolves with its report, or rejects if it hangs. */
function runWithFileLimit(dir: string, kib: number): Promise<Outcome> {
  const command = `trap '' XFSZ; ulimit -f ${kib}; exec "${process.execPath}" --import tsx "${FIXTURE}" "${dir}"`;
  const child = spawn('/bin/sh', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the store process hung after a failed commit: ${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`the store process exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(line) as Outcome);
    });
  });
}

describe('embedded store: a commit LMDB cannot write', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('rejects the writers with StoreUnavailableError, leaves no unhandled rejection, and the store still answers', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-disk-full-'));
    const outcome = await runWithFileLimit(dir, 4096);
    expect(outcome).toEqual({ failed: true, name: 'StoreUnavailableError', unavailable: true, unhandled: [], stillReads: true, counted: expect.any(Number) });
    // the refused rows are not there: only what committed before the failure is counted
    expect(outcome.counted).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
