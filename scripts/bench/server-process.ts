import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Starting and watching the server processes of a benchmark: the bench server (`server.ts`, with
 * the ceiling route, IPC), the start-up probe (`src/main.ts` exactly as `npm start` runs it), and
 * what `/proc` says about a process: memory (RSS split into heap and mapped store pages) and CPU.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerTimings {
  modulesMs: number;
  buildAppMs: number;
  listenMs: number;
  validationWarmUpMs: number;
}

/** Per `operation type strategy` (e.g. `find Consent index`): calls, candidates read, index-only answers. */
export type QueryCounts = Record<string, { calls: number; candidates: number; exact: number }>;

export interface BenchServer {
  child: ChildProcess;
  pid: number;
  base: string;
  timings: ServerTimings;
  output(): string;
  /** The store's query counts since the last call (needs `traceQueries`). */
  queries(): Promise<QueryCounts>;
  stop(): Promise<number | null>;
}

export interface ServerEnvOptions {
  dataDir: string;
  logLevel: string;
  extra?: Record<string, string>;
}

/** The server's environment: development auth on DATA_DIR, loopback, no demo seed, no webhook. */
export function serverEnv(options: ServerEnvOptions, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    DATA_DIR: options.dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    FHIR_BASE_URL: 'http://127.0.0.1:8080/fhir',
    LOG_LEVEL: options.logLevel,
    SEED_DEMO: 'false',
    NODE_ENV: 'development',
    ...options.extra,
  };
}

export async function startBenchServer(
  options: ServerEnvOptions & { ceilingFile: string; cpuProfDir?: string; traceQueries?: boolean; timeoutMs?: number },
): Promise<BenchServer> {
  const execArgv = [...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []), '--import', 'tsx', 'scripts/bench/server.ts'];
  const child = spawn(process.execPath, execArgv, {
    cwd: ROOT,
    env: serverEnv({ ...options, extra: { ...options.extra, BENCH_CEILING_FILE: options.ceilingFile, ...(options.traceQueries ? { BENCH_TRACE_QUERIES: '1' } : {}) } }, 0),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ready = await new Promise<{ port: number; timings: ServerTimings }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server not ready after ${options.timeoutMs ?? 120_000} ms: ${output}`)), options.timeoutMs ?? 120_000);
    child.on('message', (m: { type?: string; port?: number; timings?: ServerTimings }) => {
      if (m?.type === 'ready') {
        clearTimeout(timer);
        resolve({ port: m.port!, timings: m.timings! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server exited (${code}): ${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stopping = false;
  // a server that dies under load is a finding: say so with its last words rather than wait on it
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`\nthe bench server exited during the benchmark (code ${code}, signal ${signal}); its output:\n${output}\n`);
  });
  return {
    child,
    pid: child.pid!,
    base: `http://127.0.0.1:${ready.port}`,
    timings: ready.timings,
    output: () => output,
    queries: () =>
      new Promise<QueryCounts>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', onMessage);
          reject(new Error(`the bench server did not answer within 30 s (exit code ${child.exitCode}); its output:\n${output}`));
        }, 30_000);
        const onMessage = (m: { type?: string; counts?: QueryCounts }) => {
          if (m?.type !== 'queries') return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(m.counts ?? {});
        };
        child.on('message', onMessage);
        child.send({ type: 'queries' });
      }),
    async stop() {
      stopping = true;
      if (child.exitCode !== null) return child.exitCode;
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Start-up as an operator sees it: `node --import tsx src/main.ts` (what `npm start` runs) spawned
 * on the loaded store, until `/readyz` answers 200 (the store answers too). Then SIGTERM.
 */
export async function measureStartup(options: ServerEnvOptions, timeoutMs = 120_000): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: serverEnv(options, port), stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (d) => (errors = (errors + d.toString()).slice(-5_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    while (performance.now() - started < timeoutMs) {
      if (child.exitCode !== null) throw new Error(`src/main.ts exited (${child.exitCode}): ${errors}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return Math.round(performance.now() - started);
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`src/main.ts not ready after ${timeoutMs} ms: ${errors}`);
  } finally {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface MemoryUse {
  rssMb: number;
  /** Heap and other private memory. */
  rssAnonMb: number;
  /** Pages of mapped files: mostly the LMDB store, shared with the page cache. */
  rssFileMb: number;
  peakRssMb: number;
  /** The LMDB file's mappings and their resident pages. */
  storeMappings: { count: number; residentMb: number };
}

export function memoryOf(pid: number): MemoryUse {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const mb = (v: number) => Math.round(v / 1024);
  return {
    rssMb: mb(kb('VmRSS')),
    rssAnonMb: mb(kb('RssAnon')),
    rssFileMb: mb(kb('RssFile') + kb('RssShmem')),
    peakRssMb: mb(kb('VmHWM')),
    storeMappings: storeMappings(pid),
  };
}

/** How many times the store file is mapped, and its resident pages over all mappings (smaps). */
function storeMappings(pid: number): { count: number; residentMb: number } {
  let count = 0;
  let residentKb = 0;
  let inStore = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
      inStore = line.endsWith('/data.mdb');
      if (inStore) count++;
    } else if (inStore && line.startsWith('Rss:')) residentKb += Number(line.split(/\s+/)[1]);
  }
  return { count, residentMb: Math.round(residentKb / 1024) };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds the whole machine spent busy and in total (all cores) since boot, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: (total - cpu[3]! - (cpu[4] ?? 0)) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** Busy share of the whole machine (all cores) over an interval. */
export async function machineBusy(ms: number): Promise<number> {
  const read = () => {
    const { busy, total } = machineCpu();
    return { idle: total - busy, total };
  };
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  return b.total === a.total ? 0 : 1 - (b.idle - a.idle) / (b.total - a.total);
}
