import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { storeIndexPlan } from '../../src/access/index-plan.js';
import { loadAccessRules } from '../../src/access/rules.js';
import { loadConfig } from '../../src/config.js';
import { profilesHash } from '../../src/maintenance/profiles-hash.js';
import { PROFILES_HASH_KEY } from '../../src/maintenance/reindex-if-changed.js';
import { openStore } from '../../src/store/open-store.js';
import type { RowWrite, Store } from '../../src/store/store.js';
import { patientRecord, type ManifestEntry } from './patient-record.js';
import { buildPool, organizationResource, practitionerResource } from './pool.js';
import { progressBar } from './progress.js';
import { directoryWrites, rowWrites } from './rows.js';

/**
 * `npm run bench:generate -- --patients N --docs-per-patient M --seed S --data-dir D`: a realistic
 * French DMP data set, the same for the same seed, written straight into the embedded store of
 * DATA_DIR in batched commits (rows built by the server's own `buildRow` + `extractAccessFacts`).
 * Memory stays bounded whatever N: one batch is built while the previous one commits. It records
 * the profiles hash (so the server does not reindex at start-up, D24) and writes
 * `bench-manifest.json` beside the store: sampled holders with an authorised physician and the
 * documents that physician may read, which the benchmark drives its scenarios from.
 */

export interface GenerateOptions {
  patients: number;
  docsPerPatient: number;
  seed: string;
  dataDir: string;
  /** The data set's "today": every date is before it. Fixed by default so a seed gives the same data. */
  now?: Date;
  /** A create AuditEvent for each deposit (the holders' access history). */
  audit?: boolean;
  /** A small Binary per document (content.attachment.url). */
  binaries?: boolean;
  /** Holders authorising each professional on average: the pool grows with the data set. */
  holdersPerPs?: number;
  batchRows?: number;
  /** Holders recorded in the manifest. */
  sample?: number;
  quiet?: boolean;
}

export interface Manifest {
  seed: string;
  patients: number;
  documents: number;
  professionals: number;
  entries: ManifestEntry[];
}

export interface GenerateResult {
  patients: number;
  documents: number;
  rows: number;
  auditEvents: number;
  professionals: number;
  structures: number;
  ms: number;
  manifestPath: string;
}

export const DEFAULT_NOW = new Date('2026-06-30T08:00:00.000Z');
export const MANIFEST_FILE = 'bench-manifest.json';

export async function generateDataSet(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const config = loadConfig({ DATA_DIR: options.dataDir, LOG_LEVEL: 'silent' });
  const store = await openStore(config, storeIndexPlan());
  try {
    if ((await store.scan('Patient', { limit: 1 })).length > 0) {
      throw new Error(`${config.dataDir} already holds data: generate into an empty data directory`);
    }
    return await fill(store, options, config.baseUrl, config.dataDir, started);
  } finally {
    await store.close();
  }
}

async function fill(store: Store, options: GenerateOptions, baseUrl: string, dataDir: string, started: number): Promise<GenerateResult> {
  const now = options.now ?? DEFAULT_NOW;
  const rules = loadAccessRules();
  const audit = options.audit ?? true;
  const batchRows = options.batchRows ?? 4_000;
  const pool = buildPool(options.seed, options.patients, options.holdersPerPs ?? 50);
  const directoryAt = new Date(now.getTime() - 6 * 365 * 86_400_000);
  const directory = [
    ...pool.professionals.map(practitionerResource),
    ...[...pool.structures, pool.insurer].map(organizationResource),
  ];
  for (let i = 0; i < directory.length; i += batchRows) await store.commit(directoryWrites(directory.slice(i, i + batchRows), directoryAt, rules));

  const stride = Math.max(1, Math.floor(options.patients / (options.sample ?? 1_000)));
  const entries: ManifestEntry[] = [];
  const progress = progressBar('generating', options.patients, { quiet: options.quiet });
  let documents = 0;
  let rows = directory.length;
  let auditEvents = 0;
  let batch: RowWrite[] = [];
  let inFlight: Promise<void> | undefined;
  const flush = async () => {
    const writes = batch;
    batch = [];
    await inFlight; // at most one commit in flight: bounded memory, and generation overlaps the sync
    inFlight = writes.length ? store.commit(writes) : undefined;
  };
  for (let i = 0; i < options.patients; i++) {
    const record = patientRecord(pool, i, { seed: options.seed, docsPerPatient: options.docsPerPatient, now, binaries: options.binaries ?? false });
    const writes = rowWrites(record.seeds, { rules, baseUrl, audit, seed: options.seed }, i);
    for (const w of writes) batch.push(w);
    documents += record.documents;
    rows += writes.length;
    auditEvents += writes.length - record.seeds.length;
    if (record.manifest && i % stride === 0) entries.push(record.manifest);
    if (batch.length >= batchRows) await flush();
    progress.update(i + 1, `${documents.toLocaleString('en-US')} documents · ${Math.round(rows / ((performance.now() - started) / 1000)).toLocaleString('en-US')} rows/s · heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`);
  }
  await flush();
  await inFlight;
  await store.setMeta(PROFILES_HASH_KEY, profilesHash());
  progress.finish(`${documents.toLocaleString('en-US')} documents, ${rows.toLocaleString('en-US')} rows`);

  const manifestPath = path.join(dataDir, MANIFEST_FILE);
  const manifest: Manifest = { seed: options.seed, patients: options.patients, documents, professionals: pool.professionals.length, entries };
  await writeFile(manifestPath, JSON.stringify(manifest));
  return {
    patients: options.patients,
    documents,
    rows,
    auditEvents,
    professionals: pool.professionals.length,
    structures: pool.structures.length,
    ms: Math.round(performance.now() - started),
    manifestPath,
  };
}

/** Holders needed for about `documents` documents at `docsPerPatient` each (some holders have none). */
export function patientsFor(documents: number, docsPerPatient: number): number {
  return Math.max(1, Math.round(documents / (docsPerPatient * 0.985)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string' },
      documents: { type: 'string' },
      'docs-per-patient': { type: 'string', default: '25' },
      seed: { type: 'string', default: 'dmp-bench' },
      'data-dir': { type: 'string' },
      now: { type: 'string' },
      'no-audit': { type: 'boolean', default: false },
      binaries: { type: 'boolean', default: false },
      'holders-per-ps': { type: 'string', default: '50' },
      'batch-rows': { type: 'string', default: '4000' },
      sample: { type: 'string', default: '1000' },
    },
  });
  const docsPerPatient = Number(values['docs-per-patient']);
  const patients = values.patients ? Number(values.patients) : values.documents ? patientsFor(Number(values.documents), docsPerPatient) : NaN;
  if (!(patients > 0) || !values['data-dir']) {
    console.error('usage: tsx scripts/bench/generate.ts --patients N [--docs-per-patient 25] [--seed S] --data-dir D [--no-audit] [--binaries]');
    process.exit(2);
  }
  const result = await generateDataSet({
    patients,
    docsPerPatient,
    seed: values.seed!,
    dataDir: values['data-dir'],
    ...(values.now ? { now: new Date(values.now) } : {}),
    audit: !values['no-audit'],
    binaries: values.binaries!,
    holdersPerPs: Number(values['holders-per-ps']),
    batchRows: Number(values['batch-rows']),
    sample: Number(values.sample),
  });
  console.log(JSON.stringify(result, null, 2));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
