import autocannon from 'autocannon';
import type { Scenario } from './scenarios.js';
import { cpuSecondsOf, machineCpu, type MemoryUse } from './server-process.js';

/**
 * One scenario driven with autocannon (D29: 50 connections, 5 s, load generator on the same
 * machine): a short warm-up first (JIT, caches; not recorded), then the measured run. Beside
 * autocannon's figures it records how much CPU the server and the load generator used, which is
 * what tells a server-bound run (server near one full core) from a generator-bound one.
 */

export interface LoadOptions {
  base: string;
  serverPid: number;
  connections: number;
  durationS: number;
  warmupS: number;
  /** Called after the warm-up, right before the measured run. */
  beforeMeasure?: () => Promise<void>;
  /** Called with the monotonic window (µs, as in a V8 CPU profile) of the measured run. */
  onWindow?: (startUs: number, endUs: number) => void;
}

export interface ScenarioResult {
  name: string;
  title: string;
  target: string;
  available: boolean;
  /** Why it did not run ("not available: …"). */
  note?: string;
  requestsPerSecond?: number;
  /** requests/s × resources per request (ITI-65). */
  resourcesPerSecond?: number;
  latencyMs?: { p50: number; p90: number; p99: number; max: number; mean: number };
  total?: number;
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  statusCodes?: Record<string, number>;
  /** Server CPU over the measured run, in cores (1.0 = one core busy all the time). */
  serverCpuCores?: number;
  loadGeneratorCpuCores?: number;
  /** CPU other processes of the machine used during the measured run, in cores: noise when above ~0.2. */
  otherCpuCores?: number;
  /** Measured runs discarded because other processes took the CPU. */
  discardedRuns?: number;
  /** The server's memory right after this scenario. */
  memoryAfter?: MemoryUse;
  /** Whole-machine busy share measured just before the run (other processes). */
  machineBusyBefore?: number;
  ratioToCeiling?: number;
  rotation?: number;
  /** How the store answered, per request of the measured run (`--trace-queries`). */
  queriesPerRequest?: Record<string, { calls: number; candidates: number }>;
  check?: string;
}

function autocannonRun(options: LoadOptions, scenario: Scenario, durationS: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.base,
        connections: options.connections,
        duration: durationS,
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const next = scenario.next();
              request.method = next.method;
              request.path = next.path;
              request.headers = next.headers;
              if (next.body !== undefined) request.body = next.body;
              return request;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const nowUs = () => Number(process.hrtime.bigint() / 1000n);

export async function drive(options: LoadOptions, scenario: Scenario): Promise<ScenarioResult> {
  if (options.warmupS > 0) await autocannonRun(options, scenario, options.warmupS);
  await options.beforeMeasure?.();
  const serverCpu = cpuSecondsOf(options.serverPid);
  const ownCpu = process.cpuUsage();
  const machine = machineCpu();
  const startUs = nowUs();
  const result = await autocannonRun(options, scenario, options.durationS);
  const endUs = nowUs();
  options.onWindow?.(startUs, endUs);
  const seconds = (endUs - startUs) / 1e6;
  const own = process.cpuUsage(ownCpu);
  const serverCores = (cpuSecondsOf(options.serverPid) - serverCpu) / seconds;
  const ownCores = (own.user + own.system) / 1e6 / seconds;
  const machineCores = (machineCpu().busy - machine.busy) / seconds;
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const rps = result.requests.average;
  return {
    name: scenario.name,
    title: scenario.title,
    target: scenario.target,
    available: true,
    requestsPerSecond: Math.round(rps),
    ...(scenario.resourcesPerRequest ? { resourcesPerSecond: Math.round(rps * scenario.resourcesPerRequest) } : {}),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: Math.round(result.latency.mean * 100) / 100 },
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    serverCpuCores: round2(serverCores),
    loadGeneratorCpuCores: round2(ownCores),
    otherCpuCores: round2(Math.max(0, machineCores - serverCores - ownCores)),
    rotation: scenario.rotation,
  };
}

export const round2 = (x: number) => Math.round(x * 100) / 100;
