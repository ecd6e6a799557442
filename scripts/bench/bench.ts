import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from 'fhir/r4';
import { storeIndexPlan } from '../../src/access/index-plan.js';
import { loadConfig } from '../../src/config.js';
import { reindexIfProfilesChanged } from '../../src/maintenance/reindex-if-changed.js';
import { openStore } from '../../src/store/open-store.js';
import { checkScenario, probeIti65 } from './checks.js';
import { generateDataSet, MANIFEST_FILE, patientsFor, type GenerateResult, type Manifest } from './generate.js';
import { drive, round2, type ScenarioResult } from './load.js';
import { formatProfile, readProfile, summariseProfile, type ProfileSummary, type ProfileWindow } from './profile-summary.js';
import { buildScenarios, type ScenarioName } from './scenarios.js';
import { machineBusy, measureStartup, memoryOf, startBenchServer, type MemoryUse, type QueryCounts, type ServerTimings } from './server-process.js';

/**
 * One benchmark on one data set: generate it on a fresh store (or reuse a kept one), measure the
 * server's start-up on it, start the bench server, check then drive each scenario, and collect
 * memory, store size and (optionally) a CPU profile of some scenarios. `run.ts` and `scale.ts` call it.
 */

export interface BenchOptions {
  documents: number;
  docsPerPatient: number;
  seed: string;
  connections: number;
  durationS: number;
  warmupS: number;
  scenarios: readonly ScenarioName[];
  /** Run the server under `--cpu-prof` and summarise the samples of these scenarios' measured runs. */
  profile?: readonly ScenarioName[];
  logLevel: string;
  /** A data directory already generated (kept from an earlier run): skips generation. */
  dataDir?: string;
  keep: boolean;
  startupRuns: number;
  /** Wait up to this long for other processes to leave the CPU before each scenario. */
  quietWaitS: number;
  /** Measure a scenario again (at most this many times) when other processes took the CPU during it. */
  retries: number;
  iti65BinaryBytes: number;
  audit: boolean;
  /** Count how the store answers each query (index or scan) per scenario; slows the server a little. */
  traceQueries: boolean;
  log: (line: string) => void;
}

export interface BenchResult {
  when: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string; loadAverage: number[] };
  settings: Omit<BenchOptions, 'log' | 'dataDir'>;
  dataSet: { dataDir: string; reused: boolean; generation?: GenerateResult; patients: number; documents: number; professionals: number; manifestHolders: number };
  startupMs: number[];
  serverTimings: ServerTimings;
  scenarios: ScenarioResult[];
  memory: { idle: MemoryUse; afterScenarios: MemoryUse };
  storeBytes: { before: StoreSize; after: StoreSize };
  profiles?: Array<{ scenario: ScenarioName; file: string; window: ProfileWindow; summary: ProfileSummary; text: string }>;
}

export interface StoreSize {
  /** Sum of file sizes (LMDB's data.mdb grows in steps and keeps freed pages for reuse). */
  apparent: number;
  /** Blocks actually allocated on disk. */
  allocated: number;
}

export async function storeSize(dir: string): Promise<StoreSize> {
  let apparent = 0;
  let allocated = 0;
  for (const name of await readdir(dir)) {
    const s = await stat(path.join(dir, name));
    if (!s.isFile()) continue;
    apparent += s.size;
    allocated += s.blocks * 512;
  }
  return { apparent, allocated };
}

/**
 * Readies a data set for measuring: a store indexed under today's `profiles/` (when they changed
 * since generation, the server would reindex at start-up, D24, and the start-up figure would be
 * that of a reindex), and the DocumentReferences the read rotation serves, written for the ceiling
 * route to send from memory.
 */
async function prepareStore(dataDir: string, manifest: Manifest, perHolder: number, log: (line: string) => void): Promise<string> {
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const store = await openStore(config, storeIndexPlan());
  const resources: Resource[] = [];
  try {
    const reindexed = await reindexIfProfilesChanged(store, { info: (line) => log(`  ${line}`) });
    if (reindexed.ran) log(`  profiles/ changed since the data set was written: reindexed before measuring (${reindexed.ms} ms)`);
    for (const entry of manifest.entries) {
      for (const id of entry.readable.slice(0, perHolder)) {
        const row = await store.read('DocumentReference', id);
        if (row?.resource) resources.push(row.resource);
      }
    }
  } finally {
    await store.close();
  }
  const file = path.join(dataDir, 'bench-ceiling.json');
  await writeFile(file, JSON.stringify(resources));
  return file;
}

/** A server that crashed or hung under a scenario ends the benchmark, with its output: that is the finding. */
async function assertAlive(base: string, scenario: string, output: () => string): Promise<void> {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) });
    if (res.ok) return;
  } catch {
    // answered below
  }
  throw new Error(`the server stopped answering during "${scenario}"; its output:\n${output()}`);
}

/** Other processes' CPU during a measured run, in cores, above which the run is measured again. */
const OTHER_CPU_LIMIT = 0.25;

async function waitForQuiet(limitS: number, log: (line: string) => void): Promise<number> {
  const deadline = performance.now() + limitS * 1000;
  let busy = await machineBusy(1000);
  while (busy > 0.2 && performance.now() < deadline) {
    log(`  the machine is ${(busy * 100).toFixed(0)}% busy with other work: waiting before measuring`);
    await new Promise((r) => setTimeout(r, 4000));
    busy = await machineBusy(1000);
  }
  return round2(busy);
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const { log } = options;
  const reused = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'dmp-bench-')));
  let generation: GenerateResult | undefined;
  try {
    if (!reused) {
      const patients = patientsFor(options.documents, options.docsPerPatient);
      log(`generating ${patients.toLocaleString('en-US')} holders (~${options.documents.toLocaleString('en-US')} documents) into ${dataDir}`);
      generation = await generateDataSet({ patients, docsPerPatient: options.docsPerPatient, seed: options.seed, dataDir, audit: options.audit });
      log(`generated ${generation.documents.toLocaleString('en-US')} documents, ${generation.rows.toLocaleString('en-US')} rows in ${(generation.ms / 1000).toFixed(1)} s`);
    }
    const manifest = JSON.parse(await readFile(path.join(dataDir, MANIFEST_FILE), 'utf8')) as Manifest;
    const storeDir = path.join(dataDir, 'store');
    const before = await storeSize(storeDir);
    const ceilingFile = await prepareStore(dataDir, manifest, 10, log);

    const server = { dataDir, logLevel: options.logLevel };
    const startupMs: number[] = [];
    for (let i = 0; i < options.startupRuns; i++) startupMs.push(await measureStartup(server));
    log(`start-up of src/main.ts on this store (to /readyz 200): ${startupMs.join(', ')} ms`);

    const profileDir = options.profile?.length ? path.join(dataDir, 'profiles') : undefined;
    if (profileDir) await mkdir(profileDir, { recursive: true });
    const bench = await startBenchServer({ ...server, ceilingFile, traceQueries: options.traceQueries, ...(profileDir ? { cpuProfDir: profileDir } : {}) });
    const results: ScenarioResult[] = [];
    const windows = new Map<ScenarioName, ProfileWindow>();
    let idle: MemoryUse;
    let afterScenarios: MemoryUse;
    try {
      idle = memoryOf(bench.pid);
      const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const scenarios = await buildScenarios({ config, manifest, iti65BinaryBytes: options.iti65BinaryBytes });
      for (const name of options.scenarios) {
        const scenario = scenarios[name];
        if (name === 'iti65') {
          const probe = await probeIti65(bench.base, scenario);
          if (!probe.available) {
            log(`  ${name}: ${probe.note}`);
            results.push({ name, title: scenario.title, target: scenario.target, available: false, note: probe.note });
            continue;
          }
        }
        const check = await checkScenario(bench.base, scenario);
        log(`  ${name}: check ${check.summary}`);
        let result: ScenarioResult | undefined;
        let discarded = 0;
        let busy = 0;
        for (let attempt = 0; ; attempt++) {
          busy = await waitForQuiet(options.quietWaitS, log);
          result = await drive(
            {
              base: bench.base,
              serverPid: bench.pid,
              connections: options.connections,
              durationS: options.durationS,
              warmupS: options.warmupS,
              ...(options.traceQueries ? { beforeMeasure: async () => void (await bench.queries()) } : {}),
              onWindow: (startUs, endUs) => {
                if (options.profile?.includes(name)) windows.set(name, { startUs, endUs });
              },
            },
            scenario,
          );
          // another process took the CPU during the run: measure again (a writing scenario has grown the store a little)
          if ((result.otherCpuCores ?? 0) <= OTHER_CPU_LIMIT || attempt >= options.retries) break;
          discarded++;
          log(`  ${name}: other processes used ${result.otherCpuCores} cores during the run: measuring again`);
        }
        await assertAlive(bench.base, name, bench.output);
        result.discardedRuns = discarded;
        result.memoryAfter = memoryOf(bench.pid);
        if (options.traceQueries) result.queriesPerRequest = perRequest(await bench.queries());
        result.check = check.summary;
        result.machineBusyBefore = busy;
        if (!check.ok) result.note = 'requests were refused in the check: figures are not meaningful';
        results.push(result);
        log(`  ${name}: ${result.requestsPerSecond} req/s, p50 ${result.latencyMs!.p50} ms, p99 ${result.latencyMs!.p99} ms, non-2xx ${result.non2xx}, server ${result.serverCpuCores} cores`);
      }
      afterScenarios = memoryOf(bench.pid);
    } finally {
      await bench.stop();
    }
    const ceiling = results.find((r) => r.name === 'ceiling')?.requestsPerSecond;
    for (const r of results) if (ceiling && r.requestsPerSecond !== undefined) r.ratioToCeiling = round2(r.requestsPerSecond / ceiling);

    const profiles: NonNullable<BenchResult['profiles']> = [];
    if (profileDir) {
      // the bench server's main thread (thread 0); other threads (workers) write their own files
      const files = (await readdir(profileDir)).filter((f) => f.endsWith('.cpuprofile') && f.includes(`.${bench.pid}.0.`));
      const file = files.length ? path.join(profileDir, files[0]!) : undefined;
      const profile = file ? await readProfile(file) : undefined;
      for (const [scenario, window] of windows) {
        const summary = summariseProfile(profile!, 30, window);
        profiles.push({ scenario, file: file!, window, summary, text: formatProfile(summary, 30) });
      }
    }
    return {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map(round2) },
      settings: { ...omit(options) },
      dataSet: {
        dataDir,
        reused,
        ...(generation ? { generation } : {}),
        patients: manifest.patients,
        documents: manifest.documents,
        professionals: manifest.professionals,
        manifestHolders: manifest.entries.length,
      },
      startupMs,
      serverTimings: bench.timings,
      scenarios: results,
      memory: { idle, afterScenarios },
      storeBytes: { before, after: await storeSize(storeDir) },
      ...(profiles.length ? { profiles } : {}),
    };
  } finally {
    if (!reused && !options.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Counts over the requests the server finished meanwhile (its AuditEvents), in-flight ones included. */
function perRequest(counts: QueryCounts): Record<string, { calls: number; candidates: number }> {
  const { 'requests (AuditEvents written)': served, ...queries } = counts;
  const requests = Math.max(1, served?.calls ?? 0);
  const out: Record<string, { calls: number; candidates: number }> = {};
  for (const [key, c] of Object.entries(queries)) out[key] = { calls: round2(c.calls / requests), candidates: round2(c.candidates / requests) };
  return out;
}

function omit(options: BenchOptions): Omit<BenchOptions, 'log' | 'dataDir'> {
  const { log: _log, dataDir: _dir, ...rest } = options;
  return rest;
}
