import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchResult } from './bench.js';
import { ROOT } from './server-process.js';

/** The benchmark's one table (stdout) and its JSON under `bench-results/` (git-ignored). */

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const gb = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GB` : mb(bytes));

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function formatResult(result: BenchResult): string {
  const rows: string[][] = [['scenario', 'req/s', 'p50 ms', 'p99 ms', '× ceiling', 'target', 'server CPU', 'loadgen CPU', 'others', 'non-2xx']];
  for (const s of result.scenarios) {
    if (!s.available) {
      rows.push([s.name, '—', '—', '—', '—', s.target, '—', '—', '—', s.note ?? 'not available']);
      continue;
    }
    const rps = s.resourcesPerSecond !== undefined ? `${s.requestsPerSecond} (${s.resourcesPerSecond} res/s)` : String(s.requestsPerSecond);
    rows.push([
      s.name,
      rps,
      String(s.latencyMs!.p50),
      String(s.latencyMs!.p99),
      s.ratioToCeiling !== undefined ? `${(s.ratioToCeiling * 100).toFixed(0)}%` : '—',
      s.target,
      `${s.serverCpuCores}`,
      `${s.loadGeneratorCpuCores}`,
      `${s.otherCpuCores}`,
      String(s.non2xx ?? 0),
    ]);
  }
  const d = result.dataSet;
  const m = result.memory;
  const lines = [
    `dmp-fhir-server benchmark, ${result.when}: ${d.documents.toLocaleString('en-US')} documents, ${d.patients.toLocaleString('en-US')} holders, ` +
      `${d.professionals.toLocaleString('en-US')} professionals; ${result.settings.connections} connections, ${result.settings.durationS} s per scenario ` +
      `(+${result.settings.warmupS} s warm-up), load generator in this process on the same ${result.machine.cpus}-core machine (D29)`,
    '',
    table(rows),
    '(CPU columns in cores over the measured run: 1.0 = one core busy; "others" = the rest of the machine, noise)',
    '',
    `server RSS: ${m.idle.rssMb} MB idle after start (heap ${m.idle.rssAnonMb} MB, mapped store ${m.idle.rssFileMb} MB); ` +
      `${m.afterScenarios.rssMb} MB after the scenarios (heap ${m.afterScenarios.rssAnonMb} MB, mapped store ${m.afterScenarios.rssFileMb} MB), peak ${m.afterScenarios.peakRssMb} MB`,
    `store on disk: ${gb(result.storeBytes.before.allocated)} allocated (${gb(result.storeBytes.before.apparent)} file size) before, ` +
      `${gb(result.storeBytes.after.allocated)} after the scenarios`,
    `start-up (src/main.ts to /readyz 200, loaded store): ${result.startupMs.join(' / ')} ms; in the bench server: modules ${result.serverTimings.modulesMs} ms, ` +
      `buildApp ${result.serverTimings.buildAppMs} ms, listen ${result.serverTimings.listenMs} ms`,
  ];
  if (d.generation) {
    const g = d.generation;
    lines.push(`generation: ${g.rows.toLocaleString('en-US')} rows (${g.auditEvents.toLocaleString('en-US')} AuditEvents) in ${(g.ms / 1000).toFixed(1)} s, ${Math.round(g.rows / (g.ms / 1000)).toLocaleString('en-US')} rows/s`);
  }
  const busy = result.scenarios.filter((s) => (s.otherCpuCores ?? 0) > 0.25);
  if (busy.length) {
    lines.push(`warning: other processes used CPU during ${busy.map((s) => `${s.name} (${s.otherCpuCores} cores)`).join(', ')}: those figures are pessimistic`);
  }
  const failed = result.scenarios.filter((s) => s.note && s.available);
  for (const s of failed) lines.push(`warning: ${s.name}: ${s.note} (${s.check})`);
  for (const s of result.scenarios.filter((x) => x.queriesPerRequest)) {
    const q = Object.entries(s.queriesPerRequest!).sort((a, b) => b[1].candidates - a[1].candidates);
    lines.push(`store queries per ${s.name} request: ${q.map(([k, v]) => `${k} ×${v.calls} (${v.candidates} rows/ids read)`).join('; ')}`);
  }
  for (const p of result.profiles ?? []) lines.push('', `CPU profile of "${p.scenario}" (its measured run only), ${p.file}:`, p.text);
  return lines.join('\n');
}

export async function writeResult(name: string, data: unknown): Promise<string> {
  const dir = path.join(ROOT, 'bench-results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
