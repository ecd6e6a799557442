import type { DocumentReference, Resource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessContext } from './access-context.js';
import { createAccessPipeline } from './pipeline.js';
import { accessChoices, CALLERS, dmpCreation, doc, NOW, openAccessTestStore, patient, PSYCHIATRY, relatedPerson, RPPS, TRE_A05, type AccessTestStore } from './test-fixture.js';
import { scenario } from './test-scenario.js';
import type { WriteRequest } from './write-access.js';

/** The write rules as verdicts: status and rule of each refusal, and what the server stores. */

const MASQUE = { coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_A07-StatutVisibiliteDocument/FHIR/TRE-A07-StatutVisibiliteDocument', code: 'MASQUE_PS' }] };

describe('write rules', () => {
  let fixture: AccessTestStore;
  const pipeline = createAccessPipeline({ clock: () => NOW });

  beforeAll(async () => {
    fixture = await openAccessTestStore(scenario());
  });
  afterAll(() => fixture.close());

  async function write<T extends Resource>(caller: AccessContext, interaction: WriteRequest['interaction'], resource?: T, currentId?: [string, string]) {
    const current = currentId ? await fixture.store.read(currentId[0], currentId[1]) : undefined;
    const type = resource?.resourceType ?? currentId![0];
    const decision = await pipeline.authorizeWrite(fixture.store, caller, { interaction, type, ...(resource ? { resource } : {}), ...(current ? { current } : {}) });
    const status = decision.verdict.kind === 'reject' ? decision.verdict.outcome.status : 200;
    return { status, rule: decision.verdict.kind === 'reject' ? decision.verdict.outcome.rule : undefined, decision };
  }
  const update = <T extends Resource>(caller: AccessContext, resource: T) => write(caller, 'update', resource, [resource.resourceType, resource.id!]);
  const current = async (id: string) => (await fixture.store.read('DocumentReference', id))!.resource as DocumentReference;

  it('R4.5 a podiatrist deposits a psychiatric report they cannot read back', async () => {
    const { status, decision } = await write(CALLERS.podiatrist, 'create', doc('new-psy', 'alice', { practiceSetting: PSYCHIATRY }));
    expect(status).toBe(200);
    expect((decision.resource as DocumentReference).author).toEqual([{ identifier: { system: 'https://rpps.esante.gouv.fr', value: RPPS.podiatrist } }]);
  });

  it('R8.1 a professional naming another professional as author is refused', async () => {
    expect(await write(CALLERS.nurse, 'create', doc('n', 'alice', { authorRpps: RPPS.gp }))).toMatchObject({ status: 403, rule: 'R8.1' });
  });

  it('R8.1 a delegate deposits in the name of its professional, recorded by a tag', async () => {
    const { status, decision } = await write(CALLERS.delegate, 'create', doc('n', 'alice', { authorRpps: RPPS.gp }));
    expect(status).toBe(200);
    expect(decision.resource?.meta?.tag).toEqual([{ system: 'https://dmp-fhir-server.example/CodeSystem/actor', code: 'delegate' }]);
  });

  it('R8.4 only a DMP GP deposits the medical summary', async () => {
    const vsm = doc('vsm', 'alice', { type: ['http://loinc.org', '60591-5'] });
    expect(await write(CALLERS.nurse, 'create', vsm)).toMatchObject({ status: 403, rule: 'R8.4' });
    expect((await write(CALLERS.gp, 'create', vsm)).status).toBe(200);
  });

  it('R3.7 a professional without access to the holder cannot deposit; break-glass can, flagged', async () => {
    expect(await write(CALLERS.stranger, 'create', doc('n', 'alice'))).toMatchObject({ status: 403, rule: 'R3.7' });
    const { status, decision } = await write(CALLERS.strangerBreakGlass, 'create', doc('n', 'alice'));
    expect(status).toBe(200);
    expect(decision).toMatchObject({ breakGlass: true, accessMode: 'bris_de_glace', emergencyHolders: ['Patient/alice'] });
  });

  it('R3.5 break-glass deposits are refused when the holder opposed emergency access', async () => {
    expect(await write(CALLERS.strangerBreakGlass, 'create', doc('n', 'bob'))).toMatchObject({ status: 403, rule: 'R3.5' });
  });

  it('R3.4 a blocked professional cannot deposit, even with break-glass', async () => {
    expect(await write(CALLERS.blockedBreakGlass, 'create', doc('n', 'alice'))).toMatchObject({ status: 403, rule: 'R3.4' });
  });

  it('R2.1 R9.2 no deposit without an open DMP (409)', async () => {
    expect(await write(CALLERS.nurse, 'create', doc('n', 'eve'))).toMatchObject({ status: 409, rule: 'R2.1' });
    expect(await write(CALLERS.nurse, 'create', doc('n', 'carol'))).toMatchObject({ status: 409, rule: 'R9.2' });
  });

  it('R8.3 only the author, or a professional of the author’s structure, replaces or deletes a document', async () => {
    const changed = { ...(await current('a-report')), description: 'corrected' };
    expect(await update(CALLERS.nurse, changed)).toMatchObject({ status: 403, rule: 'R8.3' });
    expect((await update(CALLERS.author, changed)).status).toBe(200);
    expect(await write(CALLERS.nurse, 'delete', undefined, ['DocumentReference', 'a-report'])).toMatchObject({ status: 403, rule: 'R8.3' });
    expect((await write(CALLERS.hospitalNurse, 'delete', undefined, ['DocumentReference', 'a-psy-report'])).status).toBe(200);
  });

  it('R8.3 a new version replacing another needs the right to replace it', async () => {
    const replacing = { ...doc('v2', 'alice'), relatesTo: [{ code: 'replaces' as const, target: { reference: 'DocumentReference/a-report' } }] };
    expect(await write(CALLERS.nurse, 'create', replacing)).toMatchObject({ status: 403, rule: 'R8.3' });
    expect((await write(CALLERS.author, 'create', replacing)).status).toBe(200);
  });

  it('R5.3 any professional with access releases a result, and changes nothing else', async () => {
    const released = { ...(await current('a-invisible-new')) };
    delete released.securityLabel;
    expect((await update(CALLERS.nurse, released)).status).toBe(200);
    expect(await update(CALLERS.nurse, { ...released, description: 'x' })).toMatchObject({ status: 403, rule: 'R8.3' });
  });

  it('R5.4 any professional with access hides a document from reps at the minor’s request, and masks nothing', async () => {
    const report = await current('d-report');
    const hideFromReps = { ...report, securityLabel: [{ coding: [{ system: MASQUE.coding[0]!.system, code: 'INVISIBLE_REPRESENTANTS_LEGAUX' }] }] };
    expect((await update(CALLERS.nurse, hideFromReps)).status).toBe(200);
    expect(await update(CALLERS.nurse, { ...report, securityLabel: [MASQUE] })).toMatchObject({ status: 403, rule: 'R8.3' });
  });

  it('R7.2 the holder does not create a Patient: their token names it', async () => {
    expect(await write(CALLERS.alice, 'create', patient('other', '1990-01-01'))).toMatchObject({ status: 403, rule: 'R7.2' });
  });

  it('R7.2 the holder deposits a personal document, the server making them its author', async () => {
    const { status, decision } = await write(CALLERS.alice, 'create', doc('mine', 'alice', { type: [TRE_A05, 'DOCPAT02'] }));
    expect(status).toBe(200);
    expect((decision.resource as DocumentReference).author).toEqual([{ reference: 'Patient/alice' }]);
  });

  it('R7.2 the holder cannot deposit a professional’s document or into another record', async () => {
    expect(await write(CALLERS.alice, 'create', doc('x', 'alice', { type: ['http://loinc.org', '11502-2'], authorRpps: RPPS.gp }))).toMatchObject({ status: 403, rule: 'R7.2' });
    expect(await write(CALLERS.alice, 'create', doc('x', 'bob', { type: [TRE_A05, 'DOCPAT02'] }))).toMatchObject({ status: 403, rule: 'R7.1' });
  });

  it('R5.2 D16 the holder masks a professional’s document, and changes nothing else', async () => {
    const report = await current('a-report');
    expect((await update(CALLERS.alice, { ...report, securityLabel: [MASQUE] })).status).toBe(200);
    expect(await update(CALLERS.alice, { ...report, description: 'mine now' })).toMatchObject({ status: 403, rule: 'D16' });
  });

  it('R8.6 masking reimbursement data is 422, before anything else', async () => {
    const reimbursement = await current('a-reimbursement');
    expect(await update(CALLERS.alice, { ...reimbursement, securityLabel: [MASQUE] })).toMatchObject({ status: 422, rule: 'R8.6' });
    expect(await write(CALLERS.insurerFeed, 'create', { ...doc('r', 'alice', { type: [TRE_A05, 'REMB'] }), securityLabel: [MASQUE] })).toMatchObject({ status: 422, rule: 'R8.6' });
  });

  it('R5.3 the holder cannot even find an unreleased result to change it (404)', async () => {
    const hidden = { ...(await current('a-invisible-new')), securityLabel: [MASQUE] };
    expect(await update(CALLERS.alice, hidden)).toMatchObject({ status: 404 });
  });

  it('R7.2 the holder deletes their own document, never a professional’s', async () => {
    expect((await write(CALLERS.alice, 'delete', undefined, ['DocumentReference', 'a-personal'])).status).toBe(200);
    expect(await write(CALLERS.alice, 'delete', undefined, ['DocumentReference', 'a-lab'])).toMatchObject({ status: 403, rule: 'R7.2' });
  });

  it('R8.5 the insurer feed writes reimbursement history only, and only it does', async () => {
    expect((await write(CALLERS.insurerFeed, 'create', doc('r', 'alice', { type: [TRE_A05, 'REMB'] }))).status).toBe(200);
    expect(await write(CALLERS.insurerFeed, 'create', doc('r', 'alice'))).toMatchObject({ status: 403, rule: 'R8.5' });
    expect(await write(CALLERS.gp, 'create', doc('r', 'alice', { type: [TRE_A05, 'REMB'] }))).toMatchObject({ status: 403, rule: 'R8.5' });
    expect(await write(CALLERS.insurerFeed, 'create', patient('p', '2000-01-01'))).toMatchObject({ status: 403, rule: 'R8.5' });
  });

  it('D13 an AuditEvent is never written by a client (405)', async () => {
    const event = { resourceType: 'AuditEvent', type: { code: 'rest' }, recorded: '2025-01-01T00:00:00Z', agent: [], source: { observer: {} } } as Resource;
    expect(await write(CALLERS.admin, 'create', event)).toMatchObject({ status: 405, rule: 'D13' });
  });

  it('D19 one active access choice per holder: a second one is 409', async () => {
    expect(await write(CALLERS.alice, 'create', accessChoices('second', 'alice', { permit: [RPPS.gp] }))).toMatchObject({ status: 409, rule: 'D19' });
  });

  it('D19 R3.1 a professional may add an authorisation naming themselves, and nothing else', async () => {
    const withMe = accessChoices('choices-dan', 'dan', { permit: [RPPS.nurse, RPPS.physio], gp: [RPPS.gp] });
    expect((await update(CALLERS.physio, withMe)).status).toBe(200);
    const withMeAsGp = accessChoices('choices-dan', 'dan', { permit: [RPPS.nurse, RPPS.physio], gp: [RPPS.gp, RPPS.physio] });
    expect(await update(CALLERS.physio, withMeAsGp)).toMatchObject({ status: 403, rule: 'D19' });
  });

  it('R3.4 a blocked professional cannot authorise themselves', async () => {
    const again = accessChoices('choices-alice', 'alice', { permit: [RPPS.blocked], blocked: [RPPS.blocked] });
    expect(await update(CALLERS.blocked, again)).toMatchObject({ status: 403, rule: 'R3.4' });
  });

  it('R2.2 R8.7 reception opens a DMP but writes no access choice', async () => {
    expect((await write(CALLERS.reception, 'create', dmpCreation('o', 'eve', 'active'))).status).toBe(200);
    expect(await write(CALLERS.reception, 'create', accessChoices('c', 'eve', { permit: [RPPS.nurse] }))).toMatchObject({ status: 403, rule: 'R8.7' });
  });

  it('R2.3 a minor’s DMP needs a parent or guardian as performer (422)', async () => {
    await fixture.put([{ resource: patient('kid', '2015-01-01') }, { resource: relatedPerson('kid-dad', 'kid', 'PRN') }]);
    expect(await write(CALLERS.reception, 'create', dmpCreation('o', 'kid', 'active'))).toMatchObject({ status: 422, rule: 'R2.3' });
    expect((await write(CALLERS.reception, 'create', dmpCreation('o', 'kid', 'active', 'RelatedPerson/kid-dad'))).status).toBe(200);
  });

  it('D35 reception records a rep; the holder cannot name one', async () => {
    expect((await write(CALLERS.reception, 'create', relatedPerson('r', 'alice', 'GUARD'))).status).toBe(200);
    expect(await write(CALLERS.alice, 'create', relatedPerson('r', 'alice', 'PRN'))).toMatchObject({ status: 403, rule: 'D35' });
    expect((await write(CALLERS.alice, 'create', relatedPerson('r', 'alice', 'FRND'))).status).toBe(200);
  });

  it('R1.4 only the administrator writes the directory', async () => {
    const practitioner = { resourceType: 'Practitioner', id: 'p' } as Resource;
    expect((await write(CALLERS.admin, 'create', practitioner)).status).toBe(200);
    expect(await write(CALLERS.gp, 'create', practitioner)).toMatchObject({ status: 403, rule: 'R1.4' });
    expect(await write(CALLERS.admin, 'create', doc('n', 'alice'))).toMatchObject({ status: 403, rule: 'R1.4' });
  });

  it('R1.3 occupational medicine writes no clinical data', async () => {
    expect(await write(CALLERS.occupational, 'create', doc('n', 'alice'))).toMatchObject({ status: 403, rule: 'R1.3' });
  });

  it('D15 only the creator changes a standalone Binary', async () => {
    const bin = (await fixture.store.read('Binary', 'bin-standalone'))!.resource!;
    expect((await update(CALLERS.nurse, bin)).status).toBe(200);
    expect(await update(CALLERS.gp, bin)).toMatchObject({ status: 403, rule: 'R8.3' });
  });

  it('switched off, every write proceeds', async () => {
    const off = createAccessPipeline({ disabled: true });
    const decision = await off.authorizeWrite(fixture.store, CALLERS.stranger, { interaction: 'create', type: 'DocumentReference', resource: doc('n', 'alice') });
    expect(decision.verdict.kind).toBe('authorized');
  });
});
