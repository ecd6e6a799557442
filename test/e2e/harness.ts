import { existsSync, statSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { demoIdentity } from '../../src/lifecycle/demo-identities.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

export type { Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_SRC = path.join(ROOT, 'src/web');
const WEB_OUT = path.join(ROOT, 'dist/web');
const BUILD_LOCK = path.join(ROOT, 'dist/.web-build.lock');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
export const CHROMIUM = '/usr/bin/chromium';

export interface E2E {
  baseUrl: string;
  /**
   * A fresh browser context (its own sessionStorage) with one page; `bypassCSP` lets a test inject
   * its own script (axe-core) into the page despite the server's Content-Security-Policy.
   */
  newPage(options?: { bypassCSP?: boolean }): Promise<Page>;
  /** Saves `test-results/screenshots/<name>.png` (git-ignored). */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

function webIsFresh(): boolean {
  const index = path.join(WEB_OUT, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newestSource(WEB_SRC);
}

/** Builds dist/web when a source is newer than the build; test files running in parallel build it once. */
async function buildWebIfNeeded(): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!webIsFresh()) {
    await mkdir(path.dirname(BUILD_LOCK), { recursive: true });
    try {
      await mkdir(BUILD_LOCK);
    } catch {
      // a lock older than any build is left by a run that was killed mid-build
      if (existsSync(BUILD_LOCK) && Date.now() - statSync(BUILD_LOCK).mtimeMs > 120_000) await rmdir(BUILD_LOCK).catch(() => {});
      if (Date.now() > deadline) throw new Error(`${BUILD_LOCK} held for too long: remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      if (!webIsFresh()) await build({ configFile: path.join(WEB_SRC, 'vite.config.ts'), logLevel: 'warn' });
    } finally {
      await rmdir(BUILD_LOCK);
    }
  }
}

/**
 * A real server process in development mode on a fresh DATA_DIR (the demo DMPs seeded on its first
 * start) serving the built web front-end, and Debian's chromium driven by playwright-core.
 */
export async function startE2E(): Promise<E2E> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install it with \`apt-get install chromium\` (.ci/run does it)`);
  }
  await buildWebIfNeeded();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-e2e-'));
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = await startServer({ DATA_DIR: dataDir, SEED_DEMO: 'true' }, 60_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Chromium's own strings (e.g. the file input's « Aucun fichier choisi ») in French like the page: `--lang` on
      // every platform, LANGUAGE on Linux, where it chooses among the locales of Debian's chromium-l10n
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=fr-FR'],
      env: { ...process.env, LANGUAGE: 'fr_FR:fr' },
    });
  } catch (err) {
    server?.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const running = server;
  const launched = browser;
  return {
    baseUrl: running.base,
    async newPage(options = {}) {
      const context = await launched.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 }, bypassCSP: options.bypassCSP ?? false });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async screenshot(page, name) {
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await launched.close();
      const exited = new Promise((resolve) => running.child.once('exit', resolve));
      running.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Opens the sign-in page and clicks the demo identity's button (its accessible name is its label). */
export async function signIn(page: Page, baseUrl: string, identityKey: string): Promise<void> {
  const { label } = demoIdentity(identityKey);
  await page.goto(`${baseUrl}/#/`);
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForFunction(() => !['', '#', '#/'].includes(window.location.hash));
}

/** Searches the professional's space for a patient by INS. */
export async function searchPatient(page: Page, ins: string): Promise<void> {
  await page.getByLabel('INS du patient').fill(ins);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
}

/** Waits until the document list has answered: a count of visible documents, or the "none" notice. */
export async function documentsLoaded(page: Page): Promise<void> {
  await page.getByText(/documents? visibles? selon les règles du DMP|Aucun document visible pour vous/).waitFor();
}
