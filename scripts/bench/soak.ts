import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadConfig } from '../../src/config.js';
import { storeIndexPlan } from '../../src/access/index-plan.js';
import { reindexIfProfilesChanged } from '../../src/maintenance/reindex-if-changed.js';
import { openStore } from '../../src/store/open-store.js';
import { storeSize } from './bench.js';
import { checkScenario, probeIti65 } from './checks.js';
import { generateDataSet, MANIFEST_FILE, patientsFor, type Manifest } from './generate.js';
import { round2 } from './load.js';
import { table, writeResult } from './report.js';
import { buildScenarios, type OutgoingRequest, type Scenario, type ScenarioName } from './scenarios.js';
import { cpuSecondsOf, machineCpu, memoryOf, startBenchServer, type BenchServer, type MemoryUse } from './server-process.js';

/**
 * `npm run bench:soak`: issue 9's soak. On a generated store (~10,000 documents), the bench server
 * is driven with a realistic mix (reads of DocumentReference by id as a professional, patient
 * searches, the holder's audit trail, some ITI-65 deposits): first at full speed for a few seconds
 * to find its peak, then for `--minutes` (10) at `--load` (70%) of that peak with 50 connections
 * (D29). Every `--interval` seconds it samples the server's memory (RSS, private memory, V8 heap),
 * requests/s, p50/p99 and errors; it prints a row per interval and a summary (memory growth and p99
 * drift from the first interval to the last) and writes the same as JSON under bench-results/.
 *
 *   npm run bench:soak
 *   npm run bench:soak -- --minutes 1 --interval 10
 *   npm run bench:soak -- --mix read:60,search:20,audit-trail:12,iti65:8 --load 0.7
 */

const SOAK_ARGS = {
  documents: { type: 'string', default: '10000' },
  'docs-per-patient': { type: 'string', default: '25' },
  seed: { type: 'string', default: 'dmp-bench' },
  connections: { type: 'string', default: '50' },
  minutes: { type: 'string', default: '10' },
  load: { type: 'string', default: '0.7' },
  interval: { type: 'string', default: '15' },
  'peak-seconds': { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
  mix: { type: 'string', default: 'read:60,search:20,audit-trail:12,iti65:8' },
  'iti65-binary-kb': { type: 'string', default: '32' },
  'log-level': { type: 'string', default: 'warn' },
  'data-dir': { type: 'string' },
  keep: { type: 'boolean', default: false },
  'no-audit': { type: 'boolean', default: false },
} as const;

type MixName = Exclude<ScenarioName, 'ceiling'>;
const MIXABLE: readonly MixName[] = ['read', 'search', 'audit-trail', 'iti65'];

function parseMix(text: string): Array<{ name: MixName; weight: number }> {
  const mix = text.split(',').map((part) => {
    const [name, weight] = part.split(':').map((s) => s.trim());
    if (!(MIXABLE as readonly string[]).includes(name ?? '')) throw new Error(`--mix: unknown scenario "${name}"; known: ${MIXABLE.join(', ')}`);
    const w = Number(weight);
    if (!Number.isInteger(w) || w <= 0) throw new Error(`--mix: "${part}" needs a positive integer weight (name:weight)`);
    return { name: name as MixName, weight: w };
  });
  if (new Set(mix.map((m) => m.name)).size !== mix.length) throw new Error('--mix names a scenario twice');
  return mix;
}

/** The scenarios interleaved by smooth weighted round robin: `read:3,search:1` sends R R S R R R S R … with no bursts of one kind. */
function mixed(parts: Array<{ scenario: Scenario; weight: number }>): () => OutgoingRequest {
  const total = parts.reduce((s, p) => s + p.weight, 0);
  const current = parts.map(() => 0);
  return () => {
    let best = 0;
    for (let i = 0; i < parts.length; i++) {
      current[i]! += parts[i]!.weight;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    return parts[best]!.scenario.next();
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The V8 heap of the server process, asked over its IPC channel by a preloaded listener (the bench
 * server itself is unchanged). Heap used at one instant depends on where the collector is, so the
 * probe also reads it every second and reports the lowest value since the last sample: the floor
 * the heap returns to after collections, which is what a leak raises.
 */
const HEAP_PROBE = `let floor=Infinity;const read=()=>{floor=Math.min(floor,process.memoryUsage().heapUsed)};setInterval(read,1000).unref();process.on('message',(m)=>{if(m&&m.type==='soak-heap'){read();const u=process.memoryUsage();process.send({type:'soak-heap',heapUsed:u.heapUsed,heapFloor:floor,heapTotal:u.heapTotal,external:u.external});floor=Infinity}})`;

interface Heap {
  heapUsedMb: number;
  /** Lowest heap used over the interval (read every second). */
  heapFloorMb: number;
  heapTotalMb: number;
  externalMb: number;
}

function heapOf(server: BenchServer): Promise<Heap | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.child.off('message', onMessage);
      resolve(undefined);
    }, 5_000);
    const onMessage = (m: { type?: string; heapUsed?: number; heapFloor?: number; heapTotal?: number; external?: number }) => {
      if (m?.type !== 'soak-heap') return;
      clearTimeout(timer);
      server.child.off('message', onMessage);
      const mb = (b = NaN) => Math.round((b / 2 ** 20) * 10) / 10;
      resolve({ heapUsedMb: mb(m.heapUsed), heapFloorMb: mb(m.heapFloor), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) });
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'soak-heap' });
  });
}

interface Tally {
  latencies: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
}

const emptyTally = (): Tally => ({ latencies: [], non2xx: 0, errors: 0, timeouts: 0, statuses: {} });

interface SoakInterval {
  /** Seconds since the soak started, at the end of the interval. */
  atS: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  memory: MemoryUse;
  heap?: Heap;
  serverCpuCores: number;
  otherCpuCores: number;
}

function run(
  base: string,
  connections: number,
  durationS: number,
  next: () => OutgoingRequest,
  overallRate?: number,
  onResponse?: (status: number, ms: number) => void,
  onError?: (timeout: boolean) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: durationS,
        timeout: 30,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            setupRequest: (request) => {
              const r = next();
              request.method = r.method;
              request.path = r.path;
              request.headers = r.headers;
              if (r.body !== undefined) request.body = r.body;
              return request;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    if (onResponse) instance.on('response', (_client, status, _bytes, ms) => onResponse(status, ms));
    if (onError) instance.on('reqError', (err: Error) => onError(err.message === 'request timed out'));
  });
}

function growth(first: number | undefined, last: number | undefined): { firstMb: number; lastMb: number; mb: number; percent: number } | undefined {
  if (first === undefined || last === undefined || !Number.isFinite(first) || !Number.isFinite(last)) return undefined;
  return { firstMb: first, lastMb: last, mb: round2(last - first), percent: round2(((last - first) / first) * 100) };
}

/** The lowest value over the first (or last) minute of intervals. */
function lowest(intervals: readonly SoakInterval[], which: 'first' | 'last', value: (i: SoakInterval) => number | undefined): number | undefined {
  const end = intervals.at(-1)?.atS ?? 0;
  const inMinute = intervals.filter((i) => (which === 'first' ? i.atS <= 60 : i.atS > end - 60));
  const values = inMinute.map(value).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? Math.min(...values) : undefined;
}

/** Least-squares slope of y over x (per minute when x is in minutes). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: SOAK_ARGS });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const documents = Number(values.documents);
  const docsPerPatient = Number(values['docs-per-patient']);
  const connections = Number(values.connections);
  const minutes = Number(values.minutes);
  const load = Number(values.load);
  const intervalS = Number(values.interval);
  const peakS = Number(values['peak-seconds']);
  const warmupS = Number(values.warmup);
  const mix = parseMix(values.mix!);
  for (const [name, v] of Object.entries({ connections, minutes, intervalS, peakS })) {
    if (!(v > 0)) throw new Error(`${name} must be a positive number`);
  }
  if (!(load > 0 && load <= 1)) throw new Error('--load is a share of the peak, in (0, 1]');

  const reused = values['data-dir'] !== undefined;
  const dataDir = values['data-dir'] ?? (await mkdtemp(path.join(os.tmpdir(), 'dmp-soak-')));
  let server: BenchServer | undefined;
  // interrupted: the bench server stops by itself when this process goes (IPC disconnect); the temporary store goes too
  const onSignal = () => {
    if (!reused && !values.keep) rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let generation;
    if (!reused) {
      const patients = patientsFor(documents, docsPerPatient);
      log(`generating ${patients.toLocaleString('en-US')} holders (~${documents.toLocaleString('en-US')} documents) into ${dataDir}`);
      generation = await generateDataSet({ patients, docsPerPatient, seed: values.seed!, dataDir, audit: !values['no-audit'] });
      log(`generated ${generation.documents.toLocaleString('en-US')} documents, ${generation.rows.toLocaleString('en-US')} rows in ${(generation.ms / 1000).toFixed(1)} s`);
    } else {
      // a kept store indexed under older profiles/ would be reindexed at start-up (D24): do it before
      const store = await openStore(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), storeIndexPlan());
      try {
        const reindexed = await reindexIfProfilesChanged(store, { info: (line) => log(`  ${line}`) });
        if (reindexed.ran) log(`  profiles/ changed since the data set was written: reindexed (${reindexed.ms} ms)`);
      } finally {
        await store.close();
      }
    }
    const manifest = JSON.parse(await readFile(path.join(dataDir, MANIFEST_FILE), 'utf8')) as Manifest;
    // the bench server's ceiling route is not used here
    const ceilingFile = path.join(dataDir, 'soak-ceiling.json');
    await writeFile(ceilingFile, '[]');
    server = await startBenchServer({
      dataDir,
      logLevel: values['log-level']!,
      ceilingFile,
      extra: { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(HEAP_PROBE)}` },
    });
    const bench = server;
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const scenarios = await buildScenarios({ config, manifest, iti65BinaryBytes: Number(values['iti65-binary-kb']) * 1024 });

    const parts: Array<{ scenario: Scenario; weight: number }> = [];
    const checks: Record<string, string> = {};
    for (const { name, weight } of mix) {
      const scenario = scenarios[name];
      if (name === 'iti65') {
        const probe = await probeIti65(bench.base, scenario);
        if (!probe.available) {
          checks[name] = probe.note;
          log(`  ${name}: ${probe.note}; left out of the mix`);
          continue;
        }
      }
      const check = await checkScenario(bench.base, scenario);
      checks[name] = check.summary;
      log(`  ${name}: check ${check.summary}`);
      if (!check.ok) throw new Error(`the "${name}" requests are refused (${check.summary}): a soak of refusals would measure nothing`);
      parts.push({ scenario, weight });
    }
    if (parts.length === 0) throw new Error('nothing left in the mix');
    const next = mixed(parts);
    const mixText = parts.map((p) => `${p.scenario.name} ${p.weight}`).join(', ');

    // peak: as fast as the connections go
    if (warmupS > 0) await run(bench.base, connections, warmupS, next);
    const peak = await run(bench.base, connections, peakS, next);
    const peakRps = Math.round(peak.requests.average);
    if (peak.non2xx > 0 || peak.errors > 0) log(`  warning: the peak run had ${peak.non2xx} non-2xx and ${peak.errors} errors`);
    const rate = Math.max(1, Math.round(peakRps * load));
    log(`peak of the mix (${mixText}): ${peakRps} req/s, p50 ${peak.latency.p50} ms, p99 ${peak.latency.p99} ms over ${peakS} s; soaking at ${rate} req/s (${Math.round(load * 100)}%) for ${minutes} min`);

    // the soak, sampled every interval
    let tally = emptyTally();
    const totals = emptyTally();
    const intervals: SoakInterval[] = [];
    await heapOf(bench); // starts the heap floor afresh: the first interval's must not reach back to start-up
    const storeDir = path.join(dataDir, 'store');
    const storeBefore = await storeSize(storeDir);
    const started = performance.now();
    let last = { at: started, serverCpu: cpuSecondsOf(bench.pid), machine: machineCpu().busy, own: process.cpuUsage() };
    const header = ['at', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'RSS MB', 'private MB', 'store MB', 'heap floor MB', 'server CPU', 'others'];
    const sample = async (): Promise<void> => {
      const t = tally;
      tally = emptyTally();
      const now = performance.now();
      const seconds = (now - last.at) / 1000;
      const serverCpu = cpuSecondsOf(bench.pid);
      const machine = machineCpu().busy;
      const own = process.cpuUsage(last.own);
      const serverCores = (serverCpu - last.serverCpu) / seconds;
      const otherCores = Math.max(0, (machine - last.machine) / seconds - serverCores - (own.user + own.system) / 1e6 / seconds);
      last = { at: now, serverCpu, machine, own: process.cpuUsage() };
      const memory = memoryOf(bench.pid);
      const heap = await heapOf(bench);
      const sorted = t.latencies.sort((a, b) => a - b);
      const interval: SoakInterval = {
        atS: Math.round((now - started) / 1000),
        seconds: round2(seconds),
        requests: sorted.length,
        requestsPerSecond: Math.round(sorted.length / seconds),
        p50Ms: round2(percentile(sorted, 50)),
        p99Ms: round2(percentile(sorted, 99)),
        maxMs: round2(sorted.at(-1) ?? NaN),
        non2xx: t.non2xx,
        errors: t.errors,
        timeouts: t.timeouts,
        statuses: t.statuses,
        memory,
        ...(heap ? { heap } : {}),
        serverCpuCores: round2(serverCores),
        otherCpuCores: round2(otherCores),
      };
      intervals.push(interval);
      log(
        `  ${interval.atS} s: ${interval.requestsPerSecond} req/s, p50 ${interval.p50Ms} ms, p99 ${interval.p99Ms} ms, non-2xx ${interval.non2xx}, errors ${interval.errors}; ` +
          `RSS ${memory.rssMb} MB (private ${memory.rssAnonMb}, store ${memory.storeMappings.residentMb}), heap ${heap?.heapUsedMb ?? '?'} MB (floor ${heap?.heapFloorMb ?? '?'}); server ${interval.serverCpuCores} cores, others ${interval.otherCpuCores}`,
      );
    };
    const row = (i: SoakInterval): string[] => [
      `${i.atS} s`,
      String(i.requestsPerSecond),
      String(i.p50Ms),
      String(i.p99Ms),
      String(i.maxMs),
      String(i.non2xx),
      String(i.errors),
      String(i.memory.rssMb),
      String(i.memory.rssAnonMb),
      String(i.memory.storeMappings.residentMb),
      i.heap ? String(i.heap.heapFloorMb) : '?',
      String(i.serverCpuCores),
      String(i.otherCpuCores),
    ];
    let sampling = Promise.resolve();
    const timer = setInterval(() => {
      sampling = sampling.then(sample);
    }, intervalS * 1000);
    const soak = await run(
      bench.base,
      connections,
      Math.round(minutes * 60),
      next,
      rate,
      (status, ms) => {
        for (const t of [tally, totals]) {
          t.latencies.push(ms);
          t.statuses[status] = (t.statuses[status] ?? 0) + 1;
          if (status < 200 || status >= 300) t.non2xx++;
        }
      },
      (timeout) => {
        for (const t of [tally, totals]) {
          t.errors++;
          if (timeout) t.timeouts++;
        }
      },
    );
    clearInterval(timer);
    const storeAfter = await storeSize(storeDir);
    await sampling;
    // the tail shorter than an interval counts in the totals, not as an interval of its own
    const alive = await fetch(`${bench.base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!alive) throw new Error(`the server stopped answering during the soak; its output:\n${bench.output()}`);

    const first = intervals[0];
    const lastInterval = intervals.at(-1);
    const all = totals.latencies.sort((a, b) => a - b);
    const summary = {
      peakRequestsPerSecond: peakRps,
      peakLatencyMs: { p50: peak.latency.p50, p99: peak.latency.p99 },
      targetRequestsPerSecond: rate,
      achievedRequestsPerSecond: Math.round(soak.requests.average),
      requests: all.length,
      latencyMs: { p50: round2(percentile(all, 50)), p99: round2(percentile(all, 99)), max: round2(all.at(-1) ?? NaN) },
      non2xx: totals.non2xx,
      errors: totals.errors,
      timeouts: totals.timeouts,
      statuses: totals.statuses,
      intervals: intervals.length,
      memoryGrowth: {
        rss: growth(first?.memory.rssMb, lastInterval?.memory.rssMb),
        private: growth(first?.memory.rssAnonMb, lastInterval?.memory.rssAnonMb),
        storeMapped: growth(first?.memory.storeMappings.residentMb, lastInterval?.memory.storeMappings.residentMb),
        /** LMDB maps the store file again when it outgrows its map: pages resident in several mappings count once per mapping. */
        storeMappings: { first: first?.memory.storeMappings.count, last: lastInterval?.memory.storeMappings.count },
        heapFloor: growth(first?.heap?.heapFloorMb, lastInterval?.heap?.heapFloorMb),
        peakRssMb: lastInterval?.memory.peakRssMb,
        /** Trend over all intervals, MB per minute (least squares): less sensitive to where a GC fell than first vs last. */
        privateMbPerMinute: round2(slope(intervals.map((i) => [i.atS / 60, i.memory.rssAnonMb]))),
        heapFloorMbPerMinute: round2(slope(intervals.filter((i) => i.heap).map((i) => [i.atS / 60, i.heap!.heapFloorMb]))),
        /**
         * Lowest heap floor of the first minute against that of the last: the first interval follows
         * the peak run, whose garbage may not be collected yet; the lowest of a minute is after a collection.
         */
        heapFloorFirstVsLastMinute: growth(lowest(intervals, 'first', (i) => i.heap?.heapFloorMb), lowest(intervals, 'last', (i) => i.heap?.heapFloorMb)),
      },
      /** Cores the rest of the machine used, on average over the intervals: noise above ~0.25. */
      otherCpuCoresMean: round2(intervals.reduce((sum, i) => sum + i.otherCpuCores, 0) / Math.max(1, intervals.length)),
      /** Allocated on disk: every request writes its AuditEvent (D25), every ITI-65 deposit its three resources. */
      storeOnDisk: growth(Math.round(storeBefore.allocated / 2 ** 20), Math.round(storeAfter.allocated / 2 ** 20)),
      p99Drift: first && lastInterval ? { firstMs: first.p99Ms, lastMs: lastInterval.p99Ms, ratio: round2(lastInterval.p99Ms / first.p99Ms) } : undefined,
    };
    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map(round2) },
      settings: { documents, docsPerPatient, seed: values.seed, connections, minutes, load, intervalS, peakS, warmupS, mix: parts.map((p) => ({ name: p.scenario.name, weight: p.weight })), iti65BinaryKb: Number(values['iti65-binary-kb']), audit: !values['no-audit'] },
      dataSet: { dataDir, reused, ...(generation ? { generation } : {}), patients: manifest.patients, documents: manifest.documents, professionals: manifest.professionals },
      checks,
      summary,
      intervals,
    };
    await bench.stop();
    server = undefined;

    const fmt = (g: ReturnType<typeof growth>) => (g ? `${g.firstMb} → ${g.lastMb} MB (${g.mb >= 0 ? '+' : ''}${g.mb} MB, ${g.percent >= 0 ? '+' : ''}${g.percent}%)` : '?');
    const m = summary.memoryGrowth;
    console.log(
      [
        `dmp-fhir-server soak, ${result.when}: ${manifest.documents.toLocaleString('en-US')} documents, ${manifest.patients.toLocaleString('en-US')} holders; mix ${mixText}; ` +
          `${connections} connections, load generator in this process on the same ${result.machine.cpus}-core machine (D29)`,
        `peak ${peakRps} req/s (p99 ${peak.latency.p99} ms); soak at ${rate} req/s (${Math.round(load * 100)}% of peak) for ${minutes} min, achieved ${summary.achievedRequestsPerSecond} req/s`,
        '',
        table([header, ...intervals.map(row)]),
        '(RSS = private + mapped files; "private" = heap and other private memory; "store" = resident pages of the mapped LMDB file; heap floor = lowest V8 heap used over the interval, read every second; CPU in cores, "others" = the rest of the machine)',
        '',
        `requests ${summary.requests.toLocaleString('en-US')}, p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms; ` +
          `non-2xx ${summary.non2xx}, errors ${summary.errors} (timeouts ${summary.timeouts})`,
        `memory, first interval → last: RSS ${fmt(m.rss)}; private ${fmt(m.private)}; store pages ${fmt(m.storeMapped)}; V8 heap floor ${fmt(m.heapFloor)}; peak RSS ${m.peakRssMb} MB`,
        `store on disk (allocated), before → after the soak: ${fmt(summary.storeOnDisk)} (every request writes its AuditEvent, D25); ` +
          `mappings of the store file ${m.storeMappings.first} → ${m.storeMappings.last} (pages resident in several count once per mapping)`,
        `memory trend over all intervals: private ${m.privateMbPerMinute} MB/min, V8 heap floor ${m.heapFloorMbPerMinute} MB/min; ` +
          `lowest V8 heap floor, first minute → last: ${fmt(m.heapFloorFirstVsLastMinute)}`,
        summary.p99Drift ? `p99 drift, first interval → last: ${summary.p99Drift.firstMs} → ${summary.p99Drift.lastMs} ms (× ${summary.p99Drift.ratio})` : 'p99 drift: no interval',
        ...(summary.otherCpuCoresMean > 0.25 ? [`warning: other processes used ${summary.otherCpuCoresMean} cores on average during the soak: latencies and rates are pessimistic`] : []),
      ].join('\n'),
    );
    const file = await writeResult('soak', result);
    console.log(`\nJSON: ${file}`);
  } finally {
    if (server) await server.stop();
    if (!reused && !values.keep) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
