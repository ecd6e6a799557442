import { parseArgs } from 'node:util';
import { runBench, type BenchResult } from './bench.js';
import { BENCH_ARGS, benchOptions } from './options.js';
import { formatResult, table, writeResult } from './report.js';

/**
 * `npm run bench:scale`: the scenarios of `npm run bench` at 10k, 100k and 1M documents
 * (`--sizes 10000,100000` to stop earlier), each on its own fresh store, then how p99 grows with
 * the data set (issue 8: p99 at 1M ≤ 1.5 × p99 at 10k), with generation time, RSS, store size and
 * start-up per size. Each size's temporary store is removed before the next one is generated, so
 * the disk holds one data set at a time.
 */

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { ...BENCH_ARGS, sizes: { type: 'string', default: '10000,100000,1000000' } } });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sizes = values.sizes!.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !(n > 0))) throw new Error(`--sizes takes document counts, e.g. 10000,100000; got "${values.sizes}"`);
  const base = benchOptions(values, log);
  if (base.dataDir) throw new Error('--data-dir names one data set; bench:scale generates one per size');
  const results: BenchResult[] = [];
  for (const documents of sizes) {
    log(`\n=== ${documents.toLocaleString('en-US')} documents ===`);
    const result = await runBench({ ...base, documents });
    results.push(result);
    console.log(formatResult(result));
    // written after each size: a long run that stops half-way keeps what it measured
    await writeResult(`bench-scale-${documents}`, result);
  }
  console.log(`\n${growth(results)}`);
  const file = await writeResult('bench-scale', { sizes, results, growth: growthRows(results) });
  console.log(`\nJSON: ${file}`);
}

interface GrowthRow {
  scenario: string;
  p99: Array<number | undefined>;
  rps: Array<number | undefined>;
  /** p99 at each size over p99 at the first size. */
  ratio: Array<number | undefined>;
}

function growthRows(results: BenchResult[]): GrowthRow[] {
  const names = [...new Set(results.flatMap((r) => r.scenarios.filter((s) => s.available).map((s) => s.name)))];
  return names.map((scenario) => {
    const p99 = results.map((r) => r.scenarios.find((s) => s.name === scenario)?.latencyMs?.p99);
    const rps = results.map((r) => r.scenarios.find((s) => s.name === scenario)?.requestsPerSecond);
    const first = p99[0];
    return { scenario, p99, rps, ratio: p99.map((p) => (p !== undefined && first ? Math.round((p / first) * 100) / 100 : undefined)) };
  });
}

function growth(results: BenchResult[]): string {
  const sizes = results.map((r) => r.dataSet.documents);
  const label = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(n % 1e6 ? 1 : 0)}M` : `${Math.round(n / 1e3)}k`);
  const header = ['scenario', ...sizes.map((n) => `p99 @${label(n)}`), ...sizes.slice(1).map((n) => `×p99 @${label(n)}`), ...sizes.map((n) => `req/s @${label(n)}`)];
  const rows = growthRows(results).map((g) => [
    g.scenario,
    ...g.p99.map((p) => (p === undefined ? '—' : `${p} ms`)),
    ...g.ratio.slice(1).map((x) => (x === undefined ? '—' : `${x}×`)),
    ...g.rps.map((x) => (x === undefined ? '—' : String(x))),
  ]);
  const per = (f: (r: BenchResult) => string) => results.map((r) => `${label(r.dataSet.documents)}: ${f(r)}`).join('; ');
  return [
    'how p99 grows with the data set (target: p99 at 1M ≤ 1.5 × p99 at 10k):',
    table([header, ...rows]),
    '',
    `generation: ${per((r) => (r.dataSet.generation ? `${(r.dataSet.generation.ms / 1000).toFixed(0)} s, ${r.dataSet.generation.rows.toLocaleString('en-US')} rows` : 'reused'))}`,
    `store on disk: ${per((r) => `${(r.storeBytes.before.allocated / 2 ** 30).toFixed(2)} GB`)}`,
    `server RSS after the scenarios: ${per((r) => `${r.memory.afterScenarios.rssMb} MB (heap ${r.memory.afterScenarios.rssAnonMb} MB)`)}`,
    `start-up: ${per((r) => `${r.startupMs.join('/')} ms`)}`,
  ].join('\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
