import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { created, errorCode, patient, put } from '../helpers/fhir.js';

describe.each(STORE_KINDS)('versions and conditional requests on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind, accessControl: false });
  });
  afterEach(() => t.close());

  it('applies an update whose If-Match names the current version, and refuses a stale one with 412', async () => {
    const p = await created(t, patient());
    const ok = await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'male' }, { 'if-match': 'W/"1"' });
    expect(ok.status).toBe(200);
    const stale = await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'other' }, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(errorCode(stale.body)).toBe('VERSION_MISMATCH');
  });

  it('lets exactly one of two concurrent updates with the same If-Match win', async () => {
    const p = await created(t, patient());
    for (let round = 1; round <= 5; round++) {
      const results = await Promise.all(
        ['male', 'other', 'unknown'].map((gender) => put(t, `/fhir/Patient/${p.id}`, { ...p, gender }, { 'if-match': `W/"${round}"` })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412]);
      expect((await t.request.get(`/fhir/Patient/${p.id}`)).body.meta.versionId).toBe(String(round + 1));
    }
  });

  it('answers 304 to If-None-Match naming the current version', async () => {
    const p = await created(t, patient());
    const res = await t.request.get(`/fhir/Patient/${p.id}`).set('if-none-match', 'W/"1"');
    expect(res.status).toBe(304);
    expect(res.text).toBeFalsy();
    await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'male' });
    expect((await t.request.get(`/fhir/Patient/${p.id}`).set('if-none-match', 'W/"1"')).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since not older than the last change', async () => {
    const p = await created(t, patient());
    const later = new Date(Date.now() + 60_000).toUTCString();
    expect((await t.request.get(`/fhir/Patient/${p.id}`).set('if-modified-since', later)).status).toBe(304);
    const earlier = new Date(Date.now() - 3_600_000).toUTCString();
    expect((await t.request.get(`/fhir/Patient/${p.id}`).set('if-modified-since', earlier)).status).toBe(200);
  });

  it('lists the versions of a resource newest first in its history, with deletes', async () => {
    const p = await created(t, patient());
    await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'male' });
    await t.request.delete(`/fhir/Patient/${p.id}`);
    const res = await t.request.get(`/fhir/Patient/${p.id}/_history`);
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('history');
    expect(res.body.total).toBe(3);
    expect(res.body.entry.map((e: { response: { etag: string } }) => e.response.etag)).toEqual(['W/"3"', 'W/"2"', 'W/"1"']);
    expect(res.body.entry[0].request.method).toBe('DELETE');
    expect(res.body.entry[0].resource).toBeUndefined();
    expect(res.body.entry[1].resource.gender).toBe('male');
  });

  it('pages the type history with _count and keeps pages stable while writes go on', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await created(t, patient(`Nom${i}`))).id!);
    const first = await t.request.get('/fhir/Patient/_history?_count=2');
    expect(first.body.total).toBe(5);
    expect(first.body.entry).toHaveLength(2);
    await created(t, patient('Intrus'));
    const seen = first.body.entry.map((e: { resource: { id: string } }) => e.resource.id);
    let next = first.body.link.find((l: { relation: string }) => l.relation === 'next')?.url;
    while (next) {
      const page = await t.request.get(new URL(next).pathname + new URL(next).search);
      seen.push(...page.body.entry.map((e: { resource: { id: string } }) => e.resource.id));
      next = page.body.link.find((l: { relation: string }) => l.relation === 'next')?.url;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('keeps only versions changed since _since in the history', async () => {
    const p = await created(t, patient());
    await new Promise((r) => setTimeout(r, 20));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await put(t, `/fhir/Patient/${p.id}`, { ...p, gender: 'male' });
    const res = await t.request.get(`/fhir/Patient/${p.id}/_history?_since=${since}`);
    expect(res.body.total).toBe(1);
    expect(res.body.entry[0].response.etag).toBe('W/"2"');
    expect((await t.request.get(`/fhir/Patient/_history?_since=not-a-date`)).status).toBe(400);
  });

  it('answers 404 for the history of an unknown resource and for an unknown version', async () => {
    expect((await t.request.get('/fhir/Patient/ghost/_history')).status).toBe(404);
    const p = await created(t, patient());
    const res = await t.request.get(`/fhir/Patient/${p.id}/_history/9`);
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe('VERSION_NOT_FOUND');
  });
});
