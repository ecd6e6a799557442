import type { AuditEvent, Consent, Resource } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAuditEvent } from '../audit/audit-event.js';
import { buildCommunication } from '../audit/communication.js';
import { outboxWrite } from '../audit/outbox.js';
import { BASE, NOW, dmpCreation, doc, openAuditTestStore, patient, put, rowOf, type AuditTestStore } from '../audit/test-fixture.js';
import { CLOSURE_REASON_EXTENSION } from './closure-rule.js';
import { destructionEventId } from './destruction.js';
import { closedAt, createRetentionJob, dueHolders, latestClosure, retentionCutoff } from './retention.js';

const YEAR_MS = 365.25 * 86_400_000;
const yearsBefore = (years: number) => new Date(NOW.getTime() - years * YEAR_MS);

function closed(id: string, holder: string, end?: string): Consent {
  return {
    ...dmpCreation(id, holder, 'inactive'),
    extension: [{ url: CLOSURE_REASON_EXTENSION, valueCode: 'holder-request' }],
    ...(end ? { provision: { period: { end } } } : {}),
  };
}

const binary = (id: string, documentId?: string): Resource =>
  ({ resourceType: 'Binary', id, contentType: 'text/plain', data: 'Ym9uam91cg==', ...(documentId ? { securityContext: { reference: `DocumentReference/${documentId}` } } : {}) }) as Resource;

function trace(id: string, holders: string[]): AuditEvent {
  return buildAuditEvent({
    id,
    interaction: 'read',
    recorded: NOW,
    outcome: '0',
    caller: 'server',
    client: {},
    accessMode: 'normal',
    baseUrl: BASE,
    patients: holders,
    entities: [],
  });
}

let t: AuditTestStore;
beforeEach(async () => {
  t = await openAuditTestStore();
});
afterEach(() => t.close());

describe('R9.3 when a closed DMP is due for destruction', () => {
  it('counts ten calendar years back from now', () => {
    expect(retentionCutoff(new Date('2035-03-15T10:00:00.000Z'))).toBe('2025-03-15T10:00:00.000Z');
  });

  it('dates a closure by provision.period.end (its whole day), else by when it was stored', async () => {
    const dated = await put(t.store, closed('c1', 'alice', '2014-03-01'), NOW);
    expect(closedAt(dated)).toBe('2014-03-01T23:59:59.999Z');
    const undated = await put(t.store, closed('c2', 'bob'), yearsBefore(11));
    expect(closedAt(undated)).toBe(yearsBefore(11).toISOString());
  });

  it('keeps a holder with an active dmp-creation Consent, and takes the latest of several closures', async () => {
    const early = rowOf(closed('c1', 'alice', '2010-01-01'));
    const late = rowOf(closed('c2', 'alice', '2020-01-01'));
    const open = rowOf(dmpCreation('c3', 'alice', 'active'));
    expect(latestClosure([early, late])?.id).toBe('c2');
    expect(latestClosure([early, open])).toBeUndefined();
    expect(latestClosure([])).toBeUndefined();
  });

  it('finds exactly the holders whose every DMP consent closed more than ten years ago', async () => {
    await put(t.store, closed('alice-dmp', 'alice', '2014-03-01')); // recorded late: due
    await put(t.store, closed('bob-dmp', 'bob', '2020-01-01')); // not yet
    await put(t.store, closed('carol-dmp', 'carol', '2010-01-01'));
    await put(t.store, dmpCreation('carol-dmp-2', 'carol', 'active')); // reopened
    await put(t.store, closed('dan-dmp', 'dan', '2010-01-01'));
    await put(t.store, closed('dan-dmp-2', 'dan', '2020-01-01')); // closed again later
    await put(t.store, closed('eve-dmp', 'eve'), yearsBefore(11)); // no date: when it was stored
    const due = await dueHolders(t.store, NOW, 2);
    expect(due.map((d) => d.holder).sort()).toEqual(['Patient/alice', 'Patient/eve']);
  });
});

describe('R9.3 destroying a DMP', () => {
  beforeEach(async () => {
    for (const holder of ['alice', 'bob']) await put(t.store, patient(holder));
    await put(t.store, closed('alice-dmp', 'alice', '2014-03-01'));
    await put(t.store, doc('a-doc', 'alice'));
    await put(t.store, { ...doc('a-doc', 'alice'), description: 'v2', content: [{ attachment: { url: 'Binary/a-bin-2' } }] } as Resource);
    await put(t.store, { ...doc('a-doc-old-binary', 'alice'), content: [{ attachment: { url: 'Binary/a-bin-1' } }] } as Resource);
    await put(t.store, { ...doc('a-doc-old-binary', 'alice'), description: 'no content any more' } as Resource);
    await put(t.store, binary('a-bin-1'));
    await put(t.store, binary('a-bin-2'));
    await put(t.store, binary('a-bin-context', 'a-doc'));
    await put(t.store, binary('shared-bin'));
    await put(t.store, { ...doc('a-doc-shared', 'alice'), content: [{ attachment: { url: 'Binary/shared-bin' } }] } as Resource);
    await put(t.store, { ...doc('b-doc', 'bob'), content: [{ attachment: { url: 'Binary/shared-bin' } }] } as Resource);
    await put(t.store, trace('alice-only', ['Patient/alice']));
    await put(t.store, trace('alice-and-bob', ['Patient/alice', 'Patient/bob']));
    const note = rowOf({ ...buildCommunication({ kind: 'dmp-opened', holder: 'Patient/alice', auditEventId: 'alice-only', sent: NOW }), id: 'note-1' });
    await t.store.commit([{ row: note, expectedVersion: 0 }, outboxWrite(note, NOW)]);
  });

  it('purges every version of the holder’s resources, their Binaries, traces and notifications, and records it once', async () => {
    const job = createRetentionJob({ store: t.store, clock: () => NOW, baseUrl: BASE });
    const [destruction] = (await job.tick()).destroyed;
    expect(destruction!.purged).toEqual({
      Patient: 1,
      DocumentReference: 3,
      Communication: 1,
      AuditEvent: 1,
      Binary: 3,
      NotificationOutbox: 1,
      Consent: 1,
    });
    for (const [type, id] of [['Patient', 'alice'], ['DocumentReference', 'a-doc'], ['Binary', 'a-bin-1'], ['Binary', 'a-bin-context'], ['Consent', 'alice-dmp'], ['AuditEvent', 'alice-only'], ['Communication', 'note-1']]) {
      expect(await t.store.read(type!, id!), `${type}/${id}`).toBeUndefined();
    }
    expect(await t.store.readVersion('DocumentReference', 'a-doc', 1)).toBeUndefined();
    // Bob's, and what is also Bob's, stays
    for (const [type, id] of [['Patient', 'bob'], ['DocumentReference', 'b-doc'], ['Binary', 'shared-bin'], ['AuditEvent', 'alice-and-bob']]) {
      expect(await t.store.read(type!, id!), `${type}/${id}`).toBeDefined();
    }
    const record = await t.store.read('AuditEvent', destruction!.auditEventId);
    expect((record!.resource as AuditEvent).entity?.map((e) => e.what?.reference)).toEqual(['Patient/alice']);
    expect((await job.tick()).destroyed).toEqual([]);
  });

  it('records the destruction under an id fixed by the closure, so an interrupted run records nothing twice', async () => {
    const closure = (await t.store.read('Consent', 'alice-dmp'))!;
    expect(destructionEventId('Patient/alice', closure)).toBe(destructionEventId('Patient/alice', closure));
    expect(destructionEventId('Patient/alice', closure)).not.toBe(destructionEventId('Patient/alice', { ...closure, lastUpdated: NOW.toISOString().replace('10:00', '11:00') }));
    expect(destructionEventId('Patient/alice', closure)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('runs from its own timer with the injected clock', async () => {
    const job = createRetentionJob({ store: t.store, clock: () => NOW, baseUrl: BASE, intervalMs: 10 });
    job.start();
    const deadline = Date.now() + 5_000;
    while ((await t.store.read('Patient', 'alice')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await job.stop();
    expect(await t.store.read('Patient', 'alice')).toBeUndefined();
    expect(await t.store.read('Patient', 'bob')).toBeDefined();
  });
});
