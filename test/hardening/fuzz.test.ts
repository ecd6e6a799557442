import type { DocumentReference, Organization } from 'fhir/r4';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FHIR_JSON, created, patient } from '../helpers/fhir.js';
import { searchParametersFor } from '../../src/search/definitions.js';

/**
 * Properties over the HTTP API (issue 9): never a 5xx; every answer JSON with a resourceType, an
 * OperationOutcome whenever the status is 400 or more; a rejected write leaves the store unchanged.
 * Runs per property add up to RUNS.total (at least 10,000 cases a run).
 */
const RUNS = { resources: 3_000, searches: 3_500, headers: 2_000, bundles: 1_500 };
const TYPES = ['Patient', 'Organization', 'DocumentReference'] as const;
const SEARCH_TYPES = ['Patient', 'Organization', 'DocumentReference', 'Observation', 'Consent', 'Practitioner'];

let t: TestApp;
let authorization: string;
/** Per property: cases run, answers by status class, time. */
const tallies: Record<string, { cases: number; ok: number; rejected: number; ms: number }> = {};
let existing: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ accessControl: false });
  authorization = `Bearer ${await t.token({ role: 'admin' })}`;
  const p = await created(t, patient('Fuzz'));
  const o = await created(t, organization());
  const d = await created(t, documentReference());
  existing = { Patient: p.id!, Organization: o.id!, DocumentReference: d.id! };
});
afterAll(async () => {
  await t.close();
  const all = Object.values(tallies);
  if (all.length === 0) return;
  const cases = all.reduce((n, x) => n + x.cases, 0);
  const ms = all.reduce((n, x) => n + x.ms, 0);
  console.info(
    `fuzz: ${cases} cases in ${(ms / 1000).toFixed(1)} s, no 5xx; ` +
      Object.entries(tallies).map(([name, x]) => `${name} ${x.cases} (${x.ok} accepted, ${x.rejected} refused with an OperationOutcome)`).join(', '),
  );
});

/** Runs a property and checks that it ran `runs` cases. */
async function property<Ts extends [unknown, ...unknown[]]>(name: string, runs: number, prop: fc.IAsyncPropertyWithHooks<Ts>): Promise<void> {
  const tally = (tallies[name] = { cases: 0, ok: 0, rejected: 0, ms: 0 });
  const started = performance.now();
  await fc.assert(prop, { numRuns: runs });
  tally.ms = performance.now() - started;
  expect(tally.cases).toBe(runs);
  expect(tally.ok + tally.rejected).toBe(runs);
  // the generators reach both the accepting and the refusing paths
  expect(tally.ok, `${name}: no case was accepted`).toBeGreaterThan(0);
  expect(tally.rejected, `${name}: no case was refused`).toBeGreaterThan(0);
}

function count(name: string, status: number): void {
  const tally = tallies[name]!;
  tally.cases++;
  if (status >= 400) tally.rejected++;
  else tally.ok++;
}

function organization(): Organization {
  return { resourceType: 'Organization', identifier: [{ system: 'https://finess.esante.gouv.fr', value: '750712184' }], name: 'Hôpital Fuzz', active: true };
}
function documentReference(): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
    content: [{ attachment: { contentType: 'text/plain', data: 'aGVsbG8=' } }],
  };
}
const VALID: Record<string, () => { [key: string]: Json }> = {
  Patient: () => patient('Mutant') as unknown as { [key: string]: Json },
  Organization: () => organization() as unknown as { [key: string]: Json },
  DocumentReference: () => documentReference() as unknown as { [key: string]: Json },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

async function counts(): Promise<number[]> {
  return Promise.all(TYPES.map((type) => t.store.count(type, {})));
}

async function call(method: string, url: string, headers: Record<string, string>, payload?: string) {
  const res = await t.app.inject({ method: method as 'GET', url, headers: { authorization, ...headers }, ...(payload !== undefined ? { payload } : {}) });
  return { status: res.statusCode, text: res.body, headers: res.headers };
}

function checkAnswer(res: { status: number; text: string }, context: string, allowEmpty = false) {
  expect(res.status, `${context}\n${res.text.slice(0, 500)}`).toBeLessThan(500);
  // 304 never has a body; `Prefer: return=minimal` asks for none on success.
  if (res.text === '' && (res.status === 304 || (allowEmpty && res.status < 300))) return;
  let body: { resourceType?: unknown };
  try {
    body = JSON.parse(res.text) as { resourceType?: unknown };
  } catch {
    throw new Error(`not JSON (${res.status}) for ${context}: ${res.text.slice(0, 200)}`);
  }
  expect(typeof body.resourceType, context).toBe('string');
  if (res.status >= 400) expect(body.resourceType, context).toBe('OperationOutcome');
}

/** The paths of every value inside a JSON document. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation = { op: 'drop' | 'set' | 'add'; at: number; key: string; value: Json };

function mutate(doc: Json, mutations: Mutation[]): Json {
  const root = structuredClone(doc) as { [key: string]: Json };
  for (const m of mutations) {
    const all = paths(root).filter((p) => p.length > 0);
    const path = all[m.at % all.length]!;
    let parent: Json = root;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string, Json>)[step as string]!;
    const last = path.at(-1)!;
    const container = parent as Record<string | number, Json>;
    if (m.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete container[last];
    } else if (m.op === 'set') container[last] = m.value;
    else if (container && typeof container === 'object') container[Array.isArray(parent) ? (parent as Json[]).length : m.key] = m.value;
  }
  return root;
}

const nested = fc.integer({ min: 1, max: 300 }).map((n) => JSON.parse(`${'{"a":'.repeat(n)}"x"${'}'.repeat(n)}`) as Json);
const leaf = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '😀', 'x'.repeat(100_000), '2020-13-45', '<div>x</div>', 'urn:uuid:0', 'Patient/../x'),
);
const value: fc.Arbitrary<Json> = fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> }, { weight: 1, arbitrary: nested }, { weight: 1, arbitrary: fc.constant([] as Json[]) }, { weight: 1, arbitrary: fc.constant({} as Json) });
const key = fc.oneof(fc.constantFrom('resourceType', 'id', 'meta', 'text', 'extension', 'contained', 'identifier', 'status', 'name', '_name', 'subject'), fc.string({ maxLength: 12 }));
const mutation: fc.Arbitrary<Mutation> = fc.record({ op: fc.constantFrom('drop', 'set', 'add'), at: fc.nat(), key, value });
const mutant = fc.tuple(fc.constantFrom(...TYPES), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([type, ms]) => ({ type, doc: mutate(VALID[type]!(), ms) }));
/** Sometimes the JSON text itself is damaged. */
const bodyText = fc.tuple(mutant, fc.nat(), fc.constantFrom('none', 'none', 'none', 'truncate', 'insert')).map(([m, at, how]) => {
  const text = JSON.stringify(m.doc);
  const i = at % (text.length + 1);
  return { ...m, text: how === 'truncate' ? text.slice(0, i) : how === 'insert' ? `${text.slice(0, i)}\uFFFD,"${text.slice(i)}` : text };
});

function pct(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

describe('fuzzing through the HTTP API', () => {
  it('never fails on random and mutated resources, and leaves the store unchanged when it rejects them', async () => {
    await property(
      'resources',
      RUNS.resources,
      fc.asyncProperty(bodyText, fc.boolean(), async ({ type, text }, update) => {
        const before = await counts();
        const res = update
          ? await call('PUT', `/fhir/${type}/${existing[type]}`, { 'content-type': FHIR_JSON }, text)
          : await call('POST', `/fhir/${type}`, { 'content-type': FHIR_JSON }, text);
        checkAnswer(res, `${update ? 'PUT' : 'POST'} ${type} ${text.slice(0, 300)}`);
        if (res.status >= 400) expect(await counts()).toEqual(before);
        count('resources', res.status);
      }),
    );
  }, 120_000);

  it('never fails on random search strings', async () => {
    const named = fc.constantFrom(...SEARCH_TYPES).chain((type) =>
      fc.record({
        type: fc.constant(type),
        pairs: fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...searchParametersFor(type).map((d) => d.code), '_id', '_lastUpdated', '_sort', '_count', '_include', '_revinclude', '_summary', '_elements', '_total', '_has:Observation:subject:code', 'subject:Patient.name', '_cursor'), fc.string({ maxLength: 8 })),
            fc.constantFrom('', '', ':exact', ':contains', ':missing', ':not', ':text', ':above', ':below', ':identifier', ':of-type', ':Patient', ':bogus'),
            fc.constantFrom('', '', 'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'),
            fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom('2020', '2020-02-30', '1e400', '-0', 'http://loinc.org|11488-4', '|x', 'a,b', 'a\\,b', 'Patient/x', 'true', '(a+)+$', '.*', '{"$gt":""}', '$where')),
          ),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    );
    const raw = fc.record({ type: fc.constantFrom(...SEARCH_TYPES), query: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('%', '%%', '%C3%28', '%FF=1', '=', '&&', 'a=%E2%82')) });
    await property(
      'searches',
      RUNS.searches,
      fc.asyncProperty(fc.oneof(named, raw), async (input) => {
        const query = 'pairs' in input
          ? input.pairs.map(([name, modifier, prefix, v]) => `${pct(name)}${modifier}=${prefix}${pct(v)}`).join('&')
          : input.query.replace(/[^\x21-\x7e]|#/g, (c) => pct(c));
        const res = await call('GET', `/fhir/${input.type}?${query}`, {});
        checkAnswer(res, `GET ${input.type}?${query}`);
        count('searches', res.status);
      }),
    );
  }, 120_000);

  it('never fails on random headers', async () => {
    const header = (known: string[]) => fc.option(fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s) && s.trim() === s)), { nil: undefined });
    const headers = fc.record({
      accept: header(['application/fhir+json', 'application/json', 'application/fhir+xml', 'text/html', '*/*', 'application/fhir+json; fhirVersion=3.0', 'text/plain;q=0.1']),
      'content-type': header(['application/fhir+json', 'application/json', 'application/fhir+xml', 'text/plain', 'application/json-patch+json', 'application/fhir+json; charset=latin1', 'multipart/form-data']),
      prefer: header(['return=minimal', 'return=representation', 'return=OperationOutcome', 'handling=strict', 'handling=lenient', 'respond-async']),
      'if-match': header(['W/"1"', 'W/"999"', '"1"', '*', 'W/""', 'W/"abc"']),
      'if-none-match': header(['*', 'W/"1"']),
      'if-none-exist': header(['identifier=x', '_id=abc', 'name:bogus=1']),
    });
    const request = fc.constantFrom('read', 'search', 'create', 'update');
    await property(
      'headers',
      RUNS.headers,
      fc.asyncProperty(fc.constantFrom(...TYPES), request, headers, async (type, kind, h) => {
        const set = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const before = await counts();
        const body = JSON.stringify(VALID[type]!());
        const res =
          kind === 'read' ? await call('GET', `/fhir/${type}/${existing[type]}`, set)
          : kind === 'search' ? await call('GET', `/fhir/${type}?_count=2`, set)
          : kind === 'create' ? await call('POST', `/fhir/${type}`, set, body)
          : await call('PUT', `/fhir/${type}/${existing[type]}`, set, JSON.stringify({ ...VALID[type]!(), id: existing[type] }));
        checkAnswer(res, `${kind} ${type} ${JSON.stringify(set)}`, (set.prefer ?? '').includes('minimal'));
        if (res.status >= 400 && kind !== 'read' && kind !== 'search') expect(await counts()).toEqual(before);
        count('headers', res.status);
      }),
    );
  }, 120_000);

  it('never fails on random Bundles, and stores nothing from a rejected one', async () => {
    const entry = fc.oneof(
      mutant.map(({ type, doc }) => ({ fullUrl: 'urn:uuid:6f1c0d2e-0000-4000-8000-000000000001', resource: doc, request: { method: 'POST', url: type } })),
      fc.constantFrom(...TYPES).map((type) => ({ resource: VALID[type]!(), request: { method: 'POST', url: type } })),
      fc.record({ request: fc.record({ method: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'BOGUS'), url: fc.oneof(fc.constantFrom('Patient', 'Patient/x', 'Patient?name=a', '../x', '', 'metadata'), fc.string({ maxLength: 15 })) }) }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const bundle = fc.record(
      {
        resourceType: fc.constantFrom('Bundle', 'Bundle', 'Bundle', 'Patient'),
        type: fc.constantFrom('transaction', 'transaction', 'batch', 'collection', 'searchset', 'history', 'bogus'),
        entry: fc.array(entry, { maxLength: 5 }),
      },
      { requiredKeys: ['resourceType'] },
    );
    await property(
      'bundles',
      RUNS.bundles,
      fc.asyncProperty(bundle, async (b) => {
        const before = await counts();
        const text = JSON.stringify(b);
        const res = await call('POST', '/fhir', { 'content-type': FHIR_JSON }, text);
        checkAnswer(res, `POST /fhir ${text.slice(0, 400)}`);
        if (res.status >= 400) expect(await counts()).toEqual(before);
        count('bundles', res.status);
      }),
    );
  }, 120_000);
});
