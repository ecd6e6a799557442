import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessContext } from '../access/access-context.js';
import { forbidden } from '../fhir/errors.js';
import type { Store } from '../store/store.js';
import { NOTIFICATION_SYSTEM } from './codes.js';
import { firstAccessId } from './communication.js';
import { OUTBOX_TYPE } from './outbox.js';
import {
  auditEvents,
  CALLERS,
  categoryOf,
  communications,
  dmpCreation,
  doc,
  newWrite,
  NOW,
  openAuditTestStore,
  patient,
  put,
  recorderFor,
  representative,
  rowOf,
  RPPS,
  type AuditTestStore,
} from './test-fixture.js';

let t: AuditTestStore;
beforeEach(async () => {
  t = await openAuditTestStore();
  await put(t.store, patient('alice'));
  await put(t.store, doc('d1', 'alice'));
});
afterEach(() => t.close());

/** One read request by `caller` of alice's document, traced and finished as the read interaction would. */
async function readAsRequest(caller: AccessContext, options: { mode?: 'bris_de_glace' | 'centre_15'; store?: Store } = {}) {
  const store = options.store ?? t.store;
  const audit = recorderFor(store, { access: caller });
  if (options.mode) audit.access({ accessMode: options.mode, rule: options.mode === 'centre_15' ? 'R6.2' : 'R6.1', emergencyHolders: ['Patient/alice'] });
  audit.row((await t.store.read('DocumentReference', 'd1'))!);
  await audit.finish('0');
  return audit;
}

const kinds = async () => (await communications(t.store)).map(categoryOf).sort();

describe('first access by a professional (R10.2)', () => {
  it('notifies the holder once when the same professional accesses twice', async () => {
    await readAsRequest(CALLERS.gp);
    await readAsRequest(CALLERS.gp);
    expect(await kinds()).toEqual(['first-access']);
    expect(await auditEvents(t.store)).toHaveLength(2);
  });

  it('notifies again for another professional', async () => {
    await readAsRequest(CALLERS.gp);
    await readAsRequest(CALLERS.nurse);
    expect(await kinds()).toEqual(['first-access', 'first-access']);
  });

  it('writes a Communication of the section 12 shape about the AuditEvent, with its outbox row', async () => {
    const audit = await readAsRequest(CALLERS.gp);
    const [notice] = await communications(t.store);
    expect(notice).toMatchObject({
      resourceType: 'Communication',
      id: firstAccessId('Patient/alice', RPPS.gp),
      status: 'completed',
      category: [{ coding: [{ system: NOTIFICATION_SYSTEM, code: 'first-access' }] }],
      subject: { reference: 'Patient/alice' },
      recipient: [{ reference: 'Patient/alice' }],
      about: [{ reference: `AuditEvent/${audit.id}` }],
      sent: NOW.toISOString(),
    });
    expect(notice!.payload?.[0]?.contentString).toMatch(/a accédé pour la première fois à votre DMP/);
    expect((await t.store.read('Communication', notice!.id!))?.sec).toMatchObject({ patient: 'Patient/alice' });
    expect(await t.store.read(OUTBOX_TYPE, notice!.id!)).toMatchObject({ sec: { state: 'pending', attempts: 0 } });
  });

  it('does not count finding the Patient or checking the DMP state as accessing the DMP', async () => {
    const consent = await put(t.store, dmpCreation('c1', 'alice'));
    const audit = recorderFor(t.store, { access: CALLERS.gp, interaction: 'search-type' });
    audit.rows([(await t.store.read('Patient', 'alice'))!, consent]);
    await audit.finish('0');
    expect(await kinds()).toEqual([]);
  });

  it('does not notify the holder of their own access, nor of a refused request', async () => {
    await readAsRequest(CALLERS.alice);
    const refused = recorderFor(t.store, { access: CALLERS.nurse });
    refused.patient('Patient/alice');
    await refused.finish(undefined, forbidden('BLOCKED_PROFESSIONAL', 'blocked', 'R3.4'));
    expect(await kinds()).toEqual([]);
  });

  it('sends one notice when two requests of the same professional race, the store deciding', async () => {
    const other = recorderFor(t.store, { access: CALLERS.gp });
    other.row((await t.store.read('DocumentReference', 'd1'))!);
    const otherRows = await other.sealWith('0');
    let raced = false;
    const racing: Store = {
      ...t.store,
      kind: t.store.kind,
      async commit(writes) {
        // another node commits its own first-access notice between our check and our commit
        if (!raced) {
          raced = true;
          await t.store.commit(otherRows);
        }
        return t.store.commit(writes);
      },
    };
    await readAsRequest(CALLERS.gp, { store: racing });
    expect(raced).toBe(true);
    expect(await kinds()).toEqual(['first-access']);
    expect(await auditEvents(t.store)).toHaveLength(2);
  });
});

describe('emergency access (R6.4, D26)', () => {
  it('notifies every break-glass request, without de-duplication', async () => {
    await readAsRequest(CALLERS.strangerBreakGlass, { mode: 'bris_de_glace' });
    await readAsRequest(CALLERS.strangerBreakGlass, { mode: 'bris_de_glace' });
    expect(await kinds()).toEqual(['break-glass', 'break-glass', 'first-access']);
  });

  it('notifies every regulator request', async () => {
    await readAsRequest(CALLERS.regulator, { mode: 'centre_15' });
    await readAsRequest(CALLERS.regulator, { mode: 'centre_15' });
    expect((await kinds()).filter((k) => k === 'regulator-access')).toHaveLength(2);
  });

  it('says in French that the access was made in break-glass mode', async () => {
    await readAsRequest(CALLERS.strangerBreakGlass, { mode: 'bris_de_glace' });
    const notice = (await communications(t.store)).find((c) => categoryOf(c) === 'break-glass');
    expect(notice?.payload?.[0]?.contentString).toMatch(/en mode bris de glace/);
  });
});

describe('DMP opened (R2.4)', () => {
  it('notifies when a request creates an active dmp-creation Consent, in the same commit', async () => {
    const audit = recorderFor(t.store, { access: CALLERS.reception, interaction: 'create' });
    const consent = rowOf(dmpCreation('c1', 'alice'));
    audit.wrote(consent);
    await t.store.commit([newWrite(consent), ...(await audit.sealWith('0'))]);
    await audit.finish('0');
    const [notice] = await communications(t.store);
    expect(categoryOf(notice!)).toBe('dmp-opened');
    expect(notice!.payload?.[0]?.contentString).toMatch(/^Votre Dossier Médical Partagé \(DMP\) a été ouvert le/);
  });

  it('does not notify when an already active consent is saved again', async () => {
    const previous = await put(t.store, dmpCreation('c1', 'alice'));
    const audit = recorderFor(t.store, { access: CALLERS.alice, interaction: 'update' });
    const next = rowOf(dmpCreation('c1', 'alice'), 2, NOW, previous);
    audit.wrote(next, previous);
    await audit.commitWith([newWrite(next)]);
    expect(await kinds()).toEqual([]);
  });
});

describe('recipients', () => {
  it("addresses a minor's notices to the legal representative too", async () => {
    await put(t.store, patient('dan', '2015-06-01'));
    await put(t.store, representative('dan-mother', 'dan'));
    await put(t.store, doc('d2', 'dan'));
    const audit = recorderFor(t.store, { access: CALLERS.gp });
    audit.row((await t.store.read('DocumentReference', 'd2'))!);
    await audit.finish('0');
    const [notice] = await communications(t.store);
    expect(notice!.recipient).toEqual([{ reference: 'Patient/dan' }, { reference: 'RelatedPerson/dan-mother' }]);
    expect(notice!.subject).toEqual({ reference: 'Patient/dan' });
  });
});
