import type { AuditEvent, Bundle } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { errorCode, FHIR_JSON } from '../helpers/fhir.js';
import { auditEvents } from '../audit/dmp-world.js';
import { ADMIN, ALICE, BOB, GP, NURSE, STRANGER, allPages, buildWorld, postJson, putJson, refs, type World } from './world.js';

/**
 * `GET Patient/[id]/$everything` (R7.4, D14): the holder downloads their DMP, and a professional
 * sees the same record through the same rules. The world is built through the API (world.ts).
 */

const BASE = 'http://localhost:8080/fhir';
const doc = (w: World, name: keyof World['doc']) => `DocumentReference/${w.doc[name]}`;

/** Alice's record as she may see it: everything but the result not yet released to her (R5.3). */
function holderView(w: World): string[] {
  return [
    'Patient/alice',
    ...(['report', 'psy', 'imaging', 'masked', 'archived', 'superseded'] as const).map((d) => doc(w, d)),
    'Consent/access-alice',
    'Consent/open-alice',
    `AllergyIntolerance/${w.allergy}`,
    `Immunization/${w.immunization}`,
  ];
}

async function everythingOf(w: World, who: Parameters<TestApp['as']>[0], query = '') {
  return (await w.t.as(who)).get(`/fhir/Patient/alice/$everything${query}`);
}

describe.each(STORE_KINDS)('$everything on the %s store, read only', (kind) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(await createTestApp({ kind }));
  });
  afterAll(() => w.t.close());

  it('R7.4 D14 gives the holder their whole record, archived and superseded documents included, unreleased results excluded', async () => {
    const res = await everythingOf(w, ALICE, '?_count=100');
    expect(res.status).toBe(200);
    const bundle = res.body as Bundle;
    expect(bundle.type).toBe('searchset');
    expect(refs(bundle).sort()).toEqual(holderView(w).sort());
    expect(refs(bundle)).not.toContain(doc(w, 'unreleased'));
    expect(refs(bundle)[0]).toBe('Patient/alice');
    expect(bundle.total).toBe(holderView(w).length);
  });

  it('includes the directory entries and the Binaries the record references, and nothing of another holder', async () => {
    const bundle = (await everythingOf(w, ALICE, '?_count=100')).body as Bundle;
    expect(refs(bundle, 'include').sort()).toEqual([`Binary/${w.binary}`, 'Practitioner/gp'].sort());
    const all = [...refs(bundle), ...refs(bundle, 'include')];
    expect(all).not.toContain(`DocumentReference/${w.bobDoc}`);
    expect(all).not.toContain('Patient/bob');
    expect(all.filter((r) => r.startsWith('Consent/')).every((r) => r.endsWith('-alice'))).toBe(true);
  });

  it('gives every entry a fullUrl on the server base', async () => {
    const bundle = (await everythingOf(w, ALICE, '?_count=100')).body as Bundle;
    expect(bundle.entry!.length).toBeGreaterThan(0);
    for (const entry of bundle.entry!) expect(entry.fullUrl).toBe(`${BASE}/${entry.resource!.resourceType}/${entry.resource!.id}`);
  });

  it('R4.2 applies the habilitation matrix and masking to a nurse: no psychiatry, imaging or masked report, the unreleased result shown', async () => {
    const res = await everythingOf(w, NURSE, '?_count=100');
    expect(res.status).toBe(200);
    const matches = refs(res.body as Bundle);
    for (const hidden of ['psy', 'imaging', 'masked'] as const) expect(matches).not.toContain(doc(w, hidden));
    for (const shown of ['report', 'unreleased', 'archived', 'superseded'] as const) expect(matches).toContain(doc(w, shown));
    expect(matches).toContain('Patient/alice');
    expect(matches).toContain(`AllergyIntolerance/${w.allergy}`);
    expect((res.body as Bundle).total).toBe(matches.length);
  });

  it('R3.7 answers 404 to a professional without access, and to another holder', async () => {
    const stranger = await everythingOf(w, STRANGER);
    expect(stranger.status).toBe(404);
    expect(errorCode(stranger.body)).toBe('RESOURCE_NOT_FOUND');
    expect((await everythingOf(w, BOB)).status).toBe(404);
    expect((await (await w.t.as(ALICE)).get('/fhir/Patient/nobody/$everything')).status).toBe(404);
  });

  it('R1.4 answers 403 to the administrator, who reads no patient record', async () => {
    const res = await everythingOf(w, ADMIN);
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('ROLE_NOT_ALLOWED');
  });

  it('pages through every match exactly once, with the same total on every page', async () => {
    const alice = await w.t.as(ALICE);
    const pages = await allPages(alice, '/fhir/Patient/alice/$everything?_count=3');
    const expected = holderView(w);
    expect(pages.length).toBe(Math.ceil(expected.length / 3));
    const seen = pages.flatMap((p) => refs(p));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.sort());
    for (const page of pages) {
      expect(refs(page).length).toBeLessThanOrEqual(3);
      expect(page.total).toBe(expected.length);
      expect(page.link?.find((l) => l.relation === 'first')?.url).toBe(`${BASE}/Patient/alice/$everything?_count=3`);
    }
    expect(pages.at(-1)!.link?.some((l) => l.relation === 'next')).toBe(false);
  });

  it('_type keeps the types named: documents and their Binaries only, or the Patient alone', async () => {
    const docs = (await everythingOf(w, ALICE, '?_type=DocumentReference,Binary&_count=100')).body as Bundle;
    expect(refs(docs).every((r) => r.startsWith('DocumentReference/'))).toBe(true);
    expect(refs(docs)).toHaveLength(6);
    expect(refs(docs, 'include')).toEqual([`Binary/${w.binary}`]);
    const patient = (await everythingOf(w, ALICE, '?_type=Patient')).body as Bundle;
    expect(refs(patient)).toEqual(['Patient/alice']);
    expect(refs(patient, 'include')).toEqual([]);
    const bad = await everythingOf(w, ALICE, '?_type=Observation');
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('UNSUPPORTED_TYPE');
  });

  it('leaves the traces out unless _type names AuditEvent, and then only those the caller may read', async () => {
    const all = (await everythingOf(w, ALICE, '?_count=100')).body as Bundle;
    expect(refs(all).some((r) => r.startsWith('AuditEvent/'))).toBe(false);
    const traces = (await everythingOf(w, ALICE, '?_type=AuditEvent&_count=100')).body as Bundle;
    expect(refs(traces).length).toBeGreaterThan(0);
    expect(refs(traces).every((r) => r.startsWith('AuditEvent/'))).toBe(true);
  });

  it('refuses unknown parameters and a paging token of another request with 400', async () => {
    const unknown = await everythingOf(w, ALICE, '?start=2020-01-01');
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown.body)).toBe('UNKNOWN_PARAMETER');
    const first = (await everythingOf(w, ALICE, '?_count=2')).body as Bundle;
    const next = first.link!.find((l) => l.relation === 'next')!.url;
    const token = new URL(next).searchParams.get('_cursor')!;
    const foreign = await everythingOf(w, ALICE, `?_count=2&_type=Patient&_cursor=${token}`);
    expect(foreign.status).toBe(400);
    expect(errorCode(foreign.body)).toBe('INVALID_CURSOR');
  });

  it('answers a POST with its parameters in a Parameters body', async () => {
    const res = await postJson(await w.t.as(ALICE), '/fhir/Patient/alice/$everything', {
      resourceType: 'Parameters',
      parameter: [{ name: '_type', valueString: 'Immunization' }],
    });
    expect(res.status).toBe(200);
    expect(refs(res.body as Bundle)).toEqual([`Immunization/${w.immunization}`]);
  });

  it('R10.1 traces the operation with every resource it returned', async () => {
    const before = (await auditEvents(w.t)).length;
    const bundle = (await everythingOf(w, ALICE, '?_count=100')).body as Bundle;
    const [event] = (await auditEvents(w.t)).slice(before) as AuditEvent[];
    expect(event!.outcome).toBe('0');
    expect(event!.subtype?.map((c) => c.code)).toEqual(['operation', '$everything']);
    const traced = (event!.entity ?? []).map((e) => e.what?.reference?.replace(/\/_history\/\d+$/, ''));
    for (const ref of [...refs(bundle), ...refs(bundle, 'include')]) expect(traced).toContain(ref);
  });
});

describe('$everything while the record changes', () => {
  let w: World;
  beforeEach(async () => {
    w = await buildWorld(await createTestApp());
  });
  afterEach(() => w.t.close());

  it('returns each resource once when a document is deposited between two pages', async () => {
    const alice = await w.t.as(ALICE);
    const first = (await alice.get('/fhir/Patient/alice/$everything?_count=4')).body as Bundle;
    const gp = await w.t.as(GP);
    const deposited = (await postJson(gp, '/fhir/DocumentReference', {
      resourceType: 'DocumentReference',
      status: 'current',
      type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
      subject: { reference: 'Patient/alice' },
      content: [{ attachment: { contentType: 'application/pdf' } }],
    })).body as { id: string };
    const next = first.link!.find((l) => l.relation === 'next')!.url.replace(BASE, '/fhir');
    const rest = await allPages(alice, next);
    const seen = [...refs(first), ...rest.flatMap((p) => refs(p))];
    expect(new Set(seen).size).toBe(seen.length);
    for (const ref of holderView(w)) expect(seen).toContain(ref);
    // sorted after the token or before it, the new document is the only one that may be missing
    expect(seen.filter((r) => !holderView(w).includes(r))).toEqual(seen.includes(`DocumentReference/${deposited.id}`) ? [`DocumentReference/${deposited.id}`] : []);
  });

  it('_since returns only what changed at or after the instant', async () => {
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const gp = await w.t.as(GP);
    const allergy = (await gp.get(`/fhir/AllergyIntolerance/${w.allergy}`)).body;
    const updated = await putJson(gp, `/fhir/AllergyIntolerance/${w.allergy}`, { ...allergy, code: { text: 'Amoxicilline' } });
    expect(updated.status).toBe(200);
    const res = await (await w.t.as(ALICE)).get(`/fhir/Patient/alice/$everything?_since=${encodeURIComponent(since)}`);
    expect(res.status).toBe(200);
    expect(refs(res.body as Bundle)).toEqual([`AllergyIntolerance/${w.allergy}`]);
    expect((res.body as Bundle).total).toBe(1);
    const bad = await (await w.t.as(ALICE)).get('/fhir/Patient/alice/$everything?_since=yesterday');
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('INVALID_PARAMETER');
  });

  it('answers 405 to a method the operation does not take', async () => {
    const res = await (await w.t.as(ALICE)).delete('/fhir/Patient/alice/$everything').set('accept', FHIR_JSON);
    expect(res.status).toBe(405);
  });
});
