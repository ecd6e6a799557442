import type { parseArgs } from 'node:util';
import type { BenchOptions } from './bench.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';

/** The command-line options `run.ts` and `scale.ts` share, and the BenchOptions they make. */

export const BENCH_ARGS = {
  documents: { type: 'string', default: '10000' },
  'docs-per-patient': { type: 'string', default: '25' },
  seed: { type: 'string', default: 'dmp-bench' },
  connections: { type: 'string', default: '50' },
  duration: { type: 'string', default: '5' },
  warmup: { type: 'string', default: '1' },
  scenarios: { type: 'string', default: SCENARIOS.join(',') },
  profile: { type: 'string' },
  'log-level': { type: 'string', default: 'warn' },
  'data-dir': { type: 'string' },
  keep: { type: 'boolean', default: false },
  'startup-runs': { type: 'string', default: '3' },
  'quiet-wait': { type: 'string', default: '60' },
  retries: { type: 'string', default: '3' },
  'iti65-binary-kb': { type: 'string', default: '32' },
  'no-audit': { type: 'boolean', default: false },
  'trace-queries': { type: 'boolean', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof BENCH_ARGS }>>['values'];

export function scenarioList(text: string): ScenarioName[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of names) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.join(', ')}`);
  // the ceiling first: every ratio needs it
  return SCENARIOS.filter((s) => names.includes(s));
}

export function benchOptions(values: Values, log: (line: string) => void): Omit<BenchOptions, 'documents'> {
  const profile = values.profile ? scenarioList(values.profile) : undefined;
  return {
    docsPerPatient: Number(values['docs-per-patient']),
    seed: values.seed!,
    connections: Number(values.connections),
    durationS: Number(values.duration),
    warmupS: Number(values.warmup),
    scenarios: scenarioList(values.scenarios!),
    ...(profile ? { profile } : {}),
    logLevel: values['log-level']!,
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    keep: values.keep!,
    startupRuns: Number(values['startup-runs']),
    quietWaitS: Number(values['quiet-wait']),
    retries: Number(values.retries),
    iti65BinaryBytes: Number(values['iti65-binary-kb']) * 1024,
    audit: !values['no-audit'],
    traceQueries: values['trace-queries']!,
    log,
  };
}
