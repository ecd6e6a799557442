import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSupportedType } from '../../src/fhir/registry.js';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { locationOf, sendBundle } from './bundle-helpers.js';

/**
 * The 32 Synthea transaction Bundles of the shared corpus (read in place, never copied), reduced to
 * the types this server holds, loaded through `POST /fhir` and counted back against the corpus's
 * own index.json, through compartment searches and `Patient/[id]/$everything` (paged).
 *
 * The reduction drops the entries of other types, and with them every reference element that
 * pointed at a dropped entry (here only `Immunization.encounter`): kept as-is they would be
 * `urn:uuid:` references to nothing, which a transaction refuses (a placeholder naming no entry of
 * the Bundle could never be resolved once stored). Dropping the element keeps the resource valid
 * and true: the encounter is simply not recorded here.
 */

const DIR = fileURLToPath(new URL('../../../shared/corpus/synthea-r4-transaction-bundles/', import.meta.url));

interface IndexFile {
  file: string;
  resourceCounts: Record<string, number>;
  patient: { id: string };
  allergyIntolerances: number;
  immunizations: number;
}
const INDEX = JSON.parse(readFileSync(`${DIR}index.json`, 'utf8')) as { files: IndexFile[]; summary: { resourceCountsTotal: Record<string, number> } };
const KEPT = ['Patient', 'AllergyIntolerance', 'Immunization', 'Organization', 'Practitioner'];

/** Removes, in place, every object `{ reference: <dropped fullUrl> }` from its parent. */
function stripDangling(node: unknown, dropped: ReadonlySet<string>): void {
  if (Array.isArray(node)) {
    for (let i = node.length - 1; i >= 0; i--) {
      if (dropped.has((node[i] as { reference?: string } | null)?.reference ?? '')) node.splice(i, 1);
      else stripDangling(node[i], dropped);
    }
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) {
    if (dropped.has((value as { reference?: string } | null)?.reference ?? '')) delete object[key];
    else {
      stripDangling(value, dropped);
      if (Array.isArray(value) && value.length === 0) delete object[key];
    }
  }
}

function reduced(file: string): Bundle {
  const bundle = JSON.parse(readFileSync(DIR + file, 'utf8')) as Bundle;
  const kept = (e: BundleEntry) => isSupportedType(e.resource!.resourceType);
  const dropped = new Set((bundle.entry ?? []).filter((e) => !kept(e)).map((e) => e.fullUrl!));
  const entry = (bundle.entry ?? []).filter(kept);
  for (const e of entry) stripDangling(e.resource, dropped);
  return { ...bundle, entry };
}

describe.each(STORE_KINDS)('the Synthea transaction Bundles on the %s store', (kind) => {
  let t: TestApp;
  /** Per corpus file: the new id of its Patient and the references created, by type. */
  const loaded = new Map<string, { patient: string; created: Record<string, string[]> }>();
  let elapsed = 0;

  beforeAll(async () => {
    t = await createTestApp({ kind, accessControl: false });
    const started = performance.now();
    for (const { file } of INDEX.files) {
      const bundle = reduced(file);
      const res = await sendBundle(t.request, bundle);
      if (res.status !== 200) throw new Error(`${file}: ${res.status} ${res.text.slice(0, 2000)}`);
      const created: Record<string, string[]> = {};
      (res.body as Bundle).entry!.forEach((e, i) => {
        expect(e.response?.status).toBe('201 Created');
        (created[bundle.entry![i]!.resource!.resourceType] ??= []).push(locationOf(e));
      });
      loaded.set(file, { patient: created.Patient![0]!, created });
    }
    elapsed = performance.now() - started;
  }, 60_000);
  afterAll(() => t?.close());

  it('loads all 32 Bundles, each all or nothing, with one resource per kept entry', async () => {
    expect(loaded.size).toBe(32);
    for (const { file, resourceCounts } of INDEX.files) {
      const { created } = loaded.get(file)!;
      for (const type of KEPT) expect(created[type]?.length ?? 0, `${file} ${type}`).toBe(resourceCounts[type] ?? 0);
    }
    for (const type of KEPT) expect(await t.store.count(type, {}), type).toBe(INDEX.summary.resourceCountsTotal[type] ?? 0);
    // a budget, not a benchmark: 592 resources in 32 transactions
    expect(elapsed).toBeLessThan(30_000);
  });

  it('reads each patient back through $everything with the counts of the corpus index', async () => {
    for (const { file, allergyIntolerances, immunizations } of INDEX.files) {
      const id = loaded.get(file)!.patient.split('/')[1];
      const matched: Record<string, number> = {};
      let total: number | undefined;
      for (let url: string | undefined = `/fhir/Patient/${id}/$everything?_count=10`; url; ) {
        const res = await t.request.get(url);
        expect(res.status, res.text).toBe(200);
        total ??= (res.body as Bundle).total;
        for (const e of (res.body as Bundle).entry ?? []) if (e.search?.mode === 'match') matched[e.resource!.resourceType] = (matched[e.resource!.resourceType] ?? 0) + 1;
        const next = (res.body as Bundle).link?.find((l) => l.relation === 'next')?.url;
        url = next ? new URL(next).pathname + new URL(next).search : undefined;
      }
      const expected = { Patient: 1, ...(allergyIntolerances ? { AllergyIntolerance: allergyIntolerances } : {}), ...(immunizations ? { Immunization: immunizations } : {}) };
      expect(matched, file).toEqual(expected);
      expect(total, file).toBe(1 + allergyIntolerances + immunizations);
    }
  });

  it("finds in each patient's compartment the allergies and immunizations the corpus index counts", async () => {
    for (const { file, allergyIntolerances, immunizations } of INDEX.files) {
      const patient = loaded.get(file)!.patient;
      const id = patient.split('/')[1];
      const count = async (type: string) => (await t.request.get(`/fhir/Patient/${id}/${type}?_summary=count`)).body.total;
      expect(await count('AllergyIntolerance'), `${file} allergies`).toBe(allergyIntolerances);
      expect(await count('Immunization'), `${file} immunizations`).toBe(immunizations);
      expect((await t.request.get(`/fhir/Patient?_id=${id}&_summary=count`)).body.total).toBe(1);
    }
  });

  it('rewrote every reference of the kept resources to the resources created', async () => {
    const [{ file }] = INDEX.files.filter((f) => f.allergyIntolerances > 0);
    const { patient, created } = loaded.get(file!)!;
    for (const reference of [...created.Immunization!, ...created.AllergyIntolerance!]) {
      const res = await t.request.get(`/fhir/${reference}`);
      expect(res.body.patient.reference).toBe(patient);
      expect(res.body.encounter).toBeUndefined();
    }
  });
});
