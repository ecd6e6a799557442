import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifierForConfig } from '../../src/access/auth-mode.js';
import { loadConfig } from '../../src/config.js';
import { runServerExpectingExit } from '../helpers/server-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-token-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function runTokenCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/token.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run token', () => {
  it('prints only a token, which the server of the same DATA_DIR accepts', async () => {
    const { code, stdout, stderr } = await runTokenCli(
      ['--role', 'professional', '--rpps', '10000000001', '--profession', '10', '--specialty', 'SM26', '--organization', '750712184', '--purpose', 'TREAT', '--scope', 'user/DocumentReference.rs', '--expires-in', '2h'],
      { DATA_DIR: dataDir },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const context = await (await verifierForConfig(loadConfig({ DATA_DIR: dataDir }))).verify(stdout.trim());
    expect(context).toMatchObject({ role: 'professional', rpps: '10000000001', organization: '750712184', purposeOfUse: 'TREAT' });
    expect(context.scopes?.map((scope) => scope.text)).toEqual(['user/DocumentReference.rs']);
  }, 30_000);

  it('prints nothing on stdout and exits 1 on a bad request, saying why on stderr', async () => {
    const { code, stdout, stderr } = await runTokenCli(['--role', 'professional'], { DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('needs an "rpps" claim');
  }, 30_000);
});

describe('production', () => {
  it('refuses to start without AUTH_* variables, saying what to set', async () => {
    const { code, output } = await runServerExpectingExit({ NODE_ENV: 'production', DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toContain('NODE_ENV=production needs real token verification');
    expect(output).toContain('AUTH_JWKS_URL');
  }, 30_000);
});
