import type { DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVISIBLE_TO_PATIENT, INVISIBLE_TO_REPS } from '../access/codes.js';
import { OUTBOX_TYPE } from './outbox.js';
import { createScheduler } from './scheduler.js';
import {
  auditEvents,
  BASE,
  categoryOf,
  communications,
  daysAfter,
  doc,
  NOW,
  openAuditTestStore,
  patient,
  put,
  PSYCHIATRIC_TITLE,
  PSYCHIATRIC_TYPE,
  representative,
  type AuditTestStore,
} from './test-fixture.js';

let t: AuditTestStore;
let now: Date;
const scheduler = () => createScheduler({ store: t.store, clock: () => now, baseUrl: BASE });

beforeEach(async () => {
  now = NOW;
  t = await openAuditTestStore();
  await put(t.store, patient('alice'));
  await put(t.store, doc('hidden', 'alice', [INVISIBLE_TO_PATIENT]), NOW);
});
afterEach(() => t.close());

describe('R5.3: an INVISIBLE_PATIENT deposit still unreleased after two weeks', () => {
  it('notifies nobody before two weeks have passed', async () => {
    now = daysAfter(13);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 0 });
    expect(await communications(t.store)).toHaveLength(0);
  });

  it('notifies the holder once two weeks have passed, and only once', async () => {
    now = daysAfter(15);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 1 });
    now = daysAfter(16);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 0 });
    const notices = await communications(t.store);
    expect(notices.map(categoryOf)).toEqual(['invisible-unreleased']);
    expect(notices[0]).toMatchObject({ subject: { reference: 'Patient/alice' }, status: 'completed', sent: daysAfter(15).toISOString() });
    expect(await t.store.read(OUTBOX_TYPE, notices[0]!.id!)).toBeDefined();
  });

  it('traces the notice with an AuditEvent of the server that names the document by reference only', async () => {
    now = daysAfter(15);
    await scheduler().tick();
    const [event] = await auditEvents(t.store);
    const [notice] = await communications(t.store);
    expect(notice!.about).toEqual([{ reference: `AuditEvent/${event!.id}` }]);
    expect(event!.agent[0]).toMatchObject({ requestor: true, who: { display: 'dmp-fhir-server' } });
    expect(event!.entity?.map((e) => e.what?.reference)).toEqual(['Patient/alice', 'DocumentReference/hidden/_history/1']);
    const text = JSON.stringify([event, notice]);
    expect(text).not.toContain(PSYCHIATRIC_TYPE);
    expect(text.toLowerCase()).not.toContain(PSYCHIATRIC_TITLE.toLowerCase());
    expect(notice!.payload?.[0]?.contentString).toMatch(/prendre contact avec un professionnel de santé/);
  });

  it('does not notify about a document released before two weeks', async () => {
    await put(t.store, doc('hidden', 'alice'), daysAfter(3));
    now = daysAfter(15);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 0 });
  });

  it('does not notify about a document released by R5.3 itself after one month', async () => {
    now = daysAfter(40);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 0 });
  });

  it('keeps the deposit date across updates, so an edit does not restart the two weeks', async () => {
    const edited: DocumentReference = { ...doc('hidden', 'alice', [INVISIBLE_TO_PATIENT]), description: 'corrigé' };
    await put(t.store, edited, daysAfter(10));
    now = daysAfter(15);
    expect(await scheduler().tick()).toEqual({ invisibleUnreleased: 1 });
  });

  it("tells a minor's representatives too, unless the document is also hidden from them (R5.4)", async () => {
    await put(t.store, patient('dan', '2015-06-01'));
    await put(t.store, representative('dan-mother', 'dan'));
    await put(t.store, doc('for-dan', 'dan', [INVISIBLE_TO_PATIENT]), NOW);
    await put(t.store, doc('secret-of-dan', 'dan', [INVISIBLE_TO_PATIENT, INVISIBLE_TO_REPS]), NOW);
    now = daysAfter(15);
    await scheduler().tick();
    const recipients = (await communications(t.store))
      .filter((c) => c.subject?.reference === 'Patient/dan')
      .map((c) => c.recipient?.map((r) => r.reference))
      .sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0));
    expect(recipients).toEqual([['Patient/dan', 'RelatedPerson/dan-mother'], ['Patient/dan']]);
  });

  it('runs from its own timer with the injected clock', async () => {
    now = daysAfter(15);
    const s = createScheduler({ store: t.store, clock: () => now, baseUrl: BASE, intervalMs: 10 });
    s.start();
    const deadline = Date.now() + 5_000;
    while ((await communications(t.store)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await s.stop();
    expect((await communications(t.store)).map(categoryOf)).toEqual(['invisible-unreleased']);
  });
});
