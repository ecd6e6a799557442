import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The top self-time functions of a V8 CPU profile (`node --cpu-prof`), and the same grouped by
 * package or source folder, so that "what bounds this scenario" reads from a table:
 * `tsx scripts/bench/profile-summary.ts file.cpuprofile [--top 25] [--window startUs,endUs]`.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Samples in no JavaScript: idle (waiting on I/O) and garbage collection. */
  idleShare: number;
  gcShare: number;
  functions: ProfileLine[];
  groups: ProfileLine[];
  /** Total (inclusive) time of the server's own functions (`src/`): where the self time comes from. */
  project: ProfileLine[];
}

/** `node_modules/<pkg>` or the project folder (`src/access`), to group frames. */
function groupOf(url: string): string {
  if (!url) return '(native)';
  const decoded = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(decoded);
  if (pkg) return pkg[1]!;
  if (decoded.startsWith('node:')) return 'node (core)';
  const src = /\/(src\/[^/]+|scripts\/[^/]+)\//.exec(decoded);
  return src ? src[1]! : path.basename(decoded);
}

function shortWhere(url: string, line: number): string {
  if (!url) return '';
  const decoded = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const trimmed = decoded.replace(/^.*?\/(node_modules\/|src\/|scripts\/)/, '$1');
  return `${trimmed}:${line + 1}`;
}

/** A span of the monotonic clock, in µs: V8 stamps samples on the clock `process.hrtime` reads. */
export interface ProfileWindow {
  startUs: number;
  endUs: number;
}

/** Self time per function; with a window, only the samples taken inside it (one scenario's run). */
export function summariseProfile(profile: CpuProfile, top = 25, window?: ProfileWindow): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) continue;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const project = inclusiveProjectTime(profile, self);
  const fn = new Map<string, ProfileLine>();
  const group = new Map<string, ProfileLine>();
  let idle = 0;
  let gc = 0;
  for (const [id, micros] of self) {
    const { callFrame } = byId.get(id)!;
    const name = callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') idle += micros;
    if (name === '(garbage collector)') gc += micros;
    const key = `${name}@${callFrame.url}:${callFrame.lineNumber}`;
    const line = fn.get(key) ?? { name, where: shortWhere(callFrame.url, callFrame.lineNumber), selfMs: 0, share: 0 };
    line.selfMs += micros / 1000;
    fn.set(key, line);
    const g = name.startsWith('(') ? name : groupOf(callFrame.url);
    const gl = group.get(g) ?? { name: g, where: '', selfMs: 0, share: 0 };
    gl.selfMs += micros / 1000;
    group.set(g, gl);
  }
  const finish = (lines: Iterable<ProfileLine>) =>
    [...lines]
      .map((l) => ({ ...l, selfMs: Math.round(l.selfMs), share: total ? l.selfMs / (total / 1000) : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  return {
    totalMs: Math.round(total / 1000),
    idleShare: total ? idle / total : 0,
    gcShare: total ? gc / total : 0,
    functions: finish(fn.values()),
    groups: finish(group.values()),
    project: finish(project.values()),
  };
}

/** Each `src/` function's inclusive time: every sample counts once for each distinct such frame on its stack. */
function inclusiveProjectTime(profile: CpuProfile, self: Map<number, number>): Map<string, ProfileLine> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, ProfileLine>();
  for (const [id, micros] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at)!;
      if (!/\/src\//.test(callFrame.url)) continue;
      const name = callFrame.functionName || '(anonymous)';
      const key = `${name}@${callFrame.url}:${callFrame.lineNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const line = out.get(key) ?? { name, where: shortWhere(callFrame.url, callFrame.lineNumber), selfMs: 0, share: 0 };
      line.selfMs += micros / 1000;
      out.set(key, line);
    }
  }
  return out;
}

export function formatProfile(summary: ProfileSummary, top = 25): string {
  const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `profile: ${summary.totalMs} ms sampled, idle ${pct(summary.idleShare)}, GC ${pct(summary.gcShare)}`,
    'top self time by function:',
    ...summary.functions.slice(0, top).map((l) => `  ${pct(l.share)} ${String(l.selfMs).padStart(7)} ms  ${l.name}  ${l.where}`),
    'self time by package / folder:',
    ...summary.groups.slice(0, 15).map((l) => `  ${pct(l.share)} ${String(l.selfMs).padStart(7)} ms  ${l.name}`),
    'total (inclusive) time of the server’s functions (src/):',
    ...summary.project.slice(0, top).map((l) => `  ${pct(l.share)} ${String(l.selfMs).padStart(7)} ms  ${l.name}  ${l.where}`),
  ];
  return lines.join('\n');
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx scripts/bench/profile-summary.ts <file.cpuprofile> [--top N]');
    process.exit(2);
  }
  const topAt = process.argv.indexOf('--top');
  const top = topAt > 0 ? Number(process.argv[topAt + 1]) : 25;
  // `--window start,end` (µs of the monotonic clock, as a bench JSON's `profiles[].window` records)
  const windowAt = process.argv.indexOf('--window');
  const [startUs, endUs] = windowAt > 0 ? process.argv[windowAt + 1]!.split(',').map(Number) : [];
  const window = startUs !== undefined && endUs !== undefined ? { startUs, endUs } : undefined;
  console.log(formatProfile(summariseProfile(await readProfile(file), top, window), top));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
