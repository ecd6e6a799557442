import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { CATEGORIES, compare, parseLossless, type Category, type Difference } from './xml-roundtrip/compare.js';
import { KNOWN_CONVERTERS, loadConverter, type Converter } from './xml-roundtrip/converters.js';

/**
 * Issue 9's test for FHIR XML: does a JSON⇄XML converter round-trip every R4 example exactly?
 * Each example goes JSON → XML → JSON and is compared with the original, ignoring key order only
 * (see `xml-roundtrip/compare.ts` for the categories of difference). XML files found under
 * `--xml-dir` (default: the examples folder) are also converted XML → JSON and compared with the
 * example of the same type and id. The converter is installed outside the project:
 *
 *   mkdir /tmp/xmltrial && cd /tmp/xmltrial && npm init -y && npm install fhir
 *   npx tsx scripts/xml-roundtrip-trial.ts --converter-dir /tmp/xmltrial --package fhir [--out report.json]
 *
 * Exits 0 only when every example round-trips exactly and no conversion fails.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_EXAMPLES = path.resolve(ROOT, '../shared/corpus/r4-examples');

const { values } = parseArgs({
  options: {
    'converter-dir': { type: 'string' },
    package: { type: 'string', default: 'fhir' },
    examples: { type: 'string', default: DEFAULT_EXAMPLES },
    'xml-dir': { type: 'string' },
    out: { type: 'string' },
  },
});
if (!values['converter-dir']) {
  console.error(`usage: npx tsx scripts/xml-roundtrip-trial.ts --converter-dir DIR [--package ${KNOWN_CONVERTERS.join('|')}] [--examples DIR] [--xml-dir DIR] [--out FILE]`);
  process.exit(2);
}

interface Outcome {
  file: string;
  status: 'exact' | 'differs' | 'crash';
  /** Where a crash happened and its message. */
  crash?: string;
  xmlWellFormed?: boolean;
  toXmlMs?: number;
  toJsonMs?: number;
  differences: Difference[];
}

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).sort().map((f) => path.join(dir, f));

/** Runs one conversion step, timing it; a throw or a non-string result is a crash. */
function step(label: string, run: () => unknown): { text: string; ms: number } {
  const started = performance.now();
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    throw new Error(`${label} threw: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const ms = performance.now() - started;
  if (typeof result !== 'string' || result.length === 0) throw new Error(`${label} returned ${typeof result}, not text`);
  return { text: result, ms };
}

function wellFormed(xml: string): boolean {
  let ok = true;
  new DOMParser({ onError: (level) => void (level !== 'warning' && (ok = false)) }).parseFromString(xml, 'text/xml');
  return ok;
}

function roundTrip(converter: Converter, file: string): Outcome {
  const text = readFileSync(file, 'utf8');
  const original = parseLossless(text);
  const outcome: Outcome = { file: path.basename(file), status: 'crash', differences: [] };
  try {
    const xml = step('JSON → XML', () => converter.jsonToXml(text));
    outcome.toXmlMs = xml.ms;
    outcome.xmlWellFormed = wellFormed(xml.text);
    const json = step('XML → JSON', () => converter.xmlToJson(xml.text));
    outcome.toJsonMs = json.ms;
    outcome.differences = compare(original, parseLossless(json.text));
    outcome.status = outcome.differences.length === 0 ? 'exact' : 'differs';
  } catch (error) {
    outcome.crash = error instanceof Error ? error.message : String(error);
  }
  return outcome;
}

/** XML → JSON of an XML file, compared with the JSON example of the same resource type and id. */
function fromOfficialXml(converter: Converter, file: string, examples: string): Outcome | undefined {
  const xml = readFileSync(file, 'utf8');
  const root = new DOMParser({ onError: () => undefined }).parseFromString(xml, 'text/xml').documentElement;
  const id = root ? Array.from(root.childNodes).find((n) => n.nodeName === 'id') : undefined;
  const idValue = id && 'getAttribute' in id ? (id as unknown as { getAttribute(n: string): string | null }).getAttribute('value') : null;
  if (!root || !idValue) return undefined;
  const jsonFile = path.join(examples, root.localName!, `${root.localName}-${idValue}.json`);
  let expected;
  try {
    expected = parseLossless(readFileSync(jsonFile, 'utf8'));
  } catch {
    return undefined;
  }
  const outcome: Outcome = { file: path.basename(file), status: 'crash', differences: [] };
  try {
    const json = step('XML → JSON', () => converter.xmlToJson(xml));
    outcome.toJsonMs = json.ms;
    outcome.differences = compare(expected, parseLossless(json.text));
    outcome.status = outcome.differences.length === 0 ? 'exact' : 'differs';
  } catch (error) {
    outcome.crash = error instanceof Error ? error.message : String(error);
  }
  return outcome;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function timing(label: string, ms: number[]): string {
  if (ms.length === 0) return `${label}: no successful conversion`;
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  const mean = (ms.reduce((s, x) => s + x, 0) / ms.length).toFixed(2);
  return `${label}: mean ${mean} ms, p50 ${at(0.5)}, p95 ${at(0.95)}, max ${sorted[sorted.length - 1]!.toFixed(2)} (n=${ms.length})`;
}

/** Counts, per category, the examples and differences, with the first one seen as an illustration. */
function categoryRows(outcomes: Outcome[]): string[][] {
  const rows: string[][] = [['category', 'examples', 'diffs', 'first seen']];
  for (const category of Object.keys(CATEGORIES) as Category[]) {
    const hits = outcomes.flatMap((o) => o.differences.filter((d) => d.category === category).map((d) => ({ file: o.file, d })));
    if (hits.length === 0) continue;
    const { file, d } = hits[0]!;
    const examples = new Set(hits.map((h) => h.file)).size;
    rows.push([category, String(examples), String(hits.length), `${file} ${d.path}: ${d.before ?? '(absent)'} → ${d.after ?? '(absent)'}`]);
  }
  return rows;
}

function summary(title: string, outcomes: Outcome[]): string {
  const count = (status: Outcome['status']) => outcomes.filter((o) => o.status === status).length;
  const lines = [`${title}: ${outcomes.length} tried, ${count('exact')} exact, ${count('differs')} differ, ${count('crash')} crashed`];
  const differing = outcomes.filter((o) => o.status === 'differs');
  const only = (test: (c: Category) => boolean) => differing.filter((o) => o.differences.every((d) => test(d.category))).length;
  if (differing.length > 0) {
    lines.push(
      `  of those that differ: ${only((c) => c === 'narrative-whitespace')} in narrative whitespace only, ` +
        `${only((c) => c === 'narrative-whitespace' || c === 'narrative-serialisation')} in narrative whitespace or serialisation only, ` +
        `${differing.length - only((c) => c.startsWith('narrative-'))} outside the narrative`,
    );
  }
  if (outcomes.some((o) => o.differences.length > 0)) lines.push('', table(categoryRows(outcomes)));
  const crashes = outcomes.filter((o) => o.status === 'crash');
  if (crashes.length > 0) lines.push('', 'crashes:', ...crashes.map((o) => `  ${o.file}: ${o.crash}`));
  return lines.join('\n');
}

const examples = path.resolve(values.examples!);
const loadStarted = performance.now();
let converter: Converter;
try {
  converter = loadConverter(values['converter-dir'], values.package!);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
}
const loadMs = performance.now() - loadStarted;
console.log(`converter: ${converter.name} ${converter.version} (from ${path.resolve(values['converter-dir'])}, loaded in ${loadMs.toFixed(0)} ms)`);
console.log(`examples: ${examples}`);

const outcomes = files(examples, '.json').map((file) => roundTrip(converter, file));
const byType = new Map<string, Outcome[]>();
for (const o of outcomes) byType.set(o.file.split('-')[0]!, [...(byType.get(o.file.split('-')[0]!) ?? []), o]);
console.log(`\n${summary('JSON → XML → JSON', outcomes)}`);
console.log(
  `\n${table([
    ['type', 'examples', 'exact', 'differ', 'crashed'],
    ...[...byType].map(([type, list]) => [type, String(list.length), ...(['exact', 'differs', 'crash'] as const).map((s) => String(list.filter((o) => o.status === s).length))]),
  ])}`,
);
const xmlChecked = outcomes.filter((o) => o.xmlWellFormed !== undefined);
console.log(`\nXML produced well-formed: ${xmlChecked.filter((o) => o.xmlWellFormed).length}/${xmlChecked.length}`);
console.log(timing('JSON → XML', outcomes.flatMap((o) => (o.toXmlMs === undefined ? [] : [o.toXmlMs]))));
console.log(timing('XML → JSON', outcomes.flatMap((o) => (o.toJsonMs === undefined ? [] : [o.toJsonMs]))));

const xmlDir = path.resolve(values['xml-dir'] ?? examples);
const xmlFiles = files(xmlDir, '.xml');
const official = xmlFiles.flatMap((file) => fromOfficialXml(converter, file, examples) ?? []);
console.log(`\nofficial XML under ${xmlDir}: ${xmlFiles.length} files, ${official.length} matched to a JSON example by type and id`);
if (official.length > 0) console.log(summary('XML → JSON vs official JSON', official));

if (values.out) {
  writeFileSync(values.out, `${JSON.stringify({ converter: { name: converter.name, version: converter.version, loadMs }, examples, outcomes, official }, null, 2)}\n`);
  console.log(`\ndetails: ${values.out}`);
}
const passed = outcomes.every((o) => o.status === 'exact') && official.every((o) => o.status === 'exact');
console.log(`\nverdict: ${passed ? 'every example round-trips exactly' : 'not every example round-trips exactly'}`);
process.exitCode = passed ? 0 : 1;
