import type { DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import * as fhir from '../access/resources.js';
import { CLAIRE, GP, NURSE, claireWorld, ids, outcome, patchAs, putAs, read } from './world.js';

const archived = (doc: DocumentReference, value = true): DocumentReference => ({
  ...doc,
  extension: [...(doc.extension ?? []).filter((e) => e.url !== fhir.ARCHIVED), { url: fhir.ARCHIVED, valueBoolean: value }],
});

describe.each(STORE_KINDS)('archiving by the holder on the %s store', (kind) => {
  let t: TestApp;
  let report: DocumentReference;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
    report = await read<DocumentReference>(t, CLAIRE, '/fhir/DocumentReference/report');
  });
  afterEach(() => t.close());

  it("R7.2 D16 the holder archives a professional's document with PUT setting PDSm's isArchived extension", async () => {
    const res = await putAs(await t.as(CLAIRE), archived(report));
    expect(res.status).toBe(200);
    expect((res.body as DocumentReference).extension).toEqual([{ url: fhir.ARCHIVED, valueBoolean: true }]);
  });

  it("R7.2 a professional who is not the author cannot archive another professional's document", async () => {
    const res = await putAs(await t.as(NURSE), archived(report));
    expect(res.status).toBe(403);
    expect(outcome(res)).toBe('403 NOT_THE_AUTHOR');
  });

  it('R7.3 an archived document leaves default searches for everyone, stays readable by id and is found with isArchived=true', async () => {
    await putAs(await t.as(CLAIRE), archived(report));
    for (const who of [CLAIRE, GP, NURSE]) {
      expect(ids(await read(t, who, '/fhir/DocumentReference?patient=claire'))).toEqual([]);
      expect(ids(await read(t, who, '/fhir/DocumentReference?patient=claire&isArchived=true'))).toEqual(['report']);
      expect((await read<DocumentReference>(t, who, '/fhir/DocumentReference/report')).id).toBe('report');
    }
  });

  it('R7.3 the holder unarchives with PATCH and the document is back in default searches', async () => {
    const claire = await t.as(CLAIRE);
    expect((await patchAs(claire, '/fhir/DocumentReference/report', [{ op: 'add', path: '/extension', value: [{ url: fhir.ARCHIVED, valueBoolean: true }] }])).status).toBe(200);
    expect(ids(await read(t, GP, '/fhir/DocumentReference?patient=claire'))).toEqual([]);
    expect((await patchAs(claire, '/fhir/DocumentReference/report', [{ op: 'remove', path: '/extension' }])).status).toBe(200);
    expect(ids(await read(t, GP, '/fhir/DocumentReference?patient=claire'))).toEqual(['report']);
    expect(ids(await read(t, GP, '/fhir/DocumentReference?patient=claire&isArchived=false'))).toEqual(['report']);
  });

  it('R7.3 isArchived=false set explicitly keeps the document in default searches', async () => {
    await putAs(await t.as(CLAIRE), archived(report, false));
    expect(ids(await read(t, GP, '/fhir/DocumentReference?patient=claire'))).toEqual(['report']);
  });

  it("D16 archiving is the holder's only change to a professional's document: anything else is 403", async () => {
    const res = await putAs(await t.as(CLAIRE), { ...archived(report), description: 'réécrit par la patiente' });
    expect(outcome(res)).toBe('403 LABELS_AND_ARCHIVE_ONLY');
    expect((await t.store.read('DocumentReference', 'report'))!.versionId).toBe(1);
  });
});
