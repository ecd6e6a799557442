import { parseArgs } from 'node:util';
import { runBench } from './bench.js';
import { BENCH_ARGS, benchOptions } from './options.js';
import { formatResult, writeResult } from './report.js';

/**
 * `npm run bench`: issue 8's benchmark on a fresh temporary store. Generates ~10,000 documents
 * (`--documents`), starts the server in a child process on 127.0.0.1 (ephemeral port), and drives
 * each scenario with autocannon for 5 s at 50 connections (D29). Prints one table and writes the
 * same as JSON under bench-results/.
 *
 *   npm run bench
 *   npm run bench -- --documents 100000 --scenarios read,search
 *   npm run bench -- --profile read,search       # server under --cpu-prof: top self-time functions per scenario
 *   npm run bench -- --keep                      # keep the generated store (reuse: --data-dir D)
 */

async function main(): Promise<void> {
  const { values } = parseArgs({ options: BENCH_ARGS });
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const result = await runBench({ ...benchOptions(values, log), documents: Number(values.documents) });
  console.log(formatResult(result));
  const file = await writeResult('bench', result);
  console.log(`\nJSON: ${file}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
