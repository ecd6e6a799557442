import type { Bundle, Consent } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { RPPS } from './callers.js';
import { findDocs, outcome, useSmallWorld } from './helpers.js';
import * as fhir from './resources.js';
import { ALICE_CHOICES, createdId, postAs, putAs, type World } from './scenario.js';

/**
 * Opening and closing DMPs, access choices and emergency access written through the API (R2,
 * R3, R9.2, D19–D21, D34): refusals and reads share one freshly seeded app, every test that
 * changes the record has its own.
 */

const report = (holderId: string) => fhir.documentReference(holderId, { type: [fhir.LOINC, '11488-4'] });
const CREATION = `category=${encodeURIComponent(`${fhir.CONSENT_CATEGORY}|dmp-creation`)}`;
const ACCESS = `category=${encodeURIComponent(`${fhir.CONSENT_CATEGORY}|dmp-access`)}`;

describe.each(STORE_KINDS)('DMP state and access choices (%s store)', (kind) => {
  describe('refusals and reads, on one shared app', () => {
    const world = useSmallWorld(kind, 'shared');
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('R2.1 refuses a deposit for a holder without an open DMP (409 saying no DMP is open)', async () => {
      const res = await postAs(await w.agent('physician'), report(w.id('eve')));
      expect(outcome(res)).toBe('409 NO_OPEN_DMP');
      expect(res.body.issue[0].diagnostics).toMatch(/no DMP is open/);
    });

    it('R3.5 refuses break-glass on a holder who opposed emergency access (403 EMERGENCY_ACCESS_OPPOSED)', async () => {
      const res = await (await w.agent('strangerBreakGlass')).get(`/fhir/DocumentReference?patient=${w.id('bob')}`);
      expect(outcome(res)).toBe('403 EMERGENCY_ACCESS_OPPOSED');
      expect(res.body.issue[0].code).toBe('forbidden');
    });

    // BUG (reported): R3.5 says the 403 names the rule; the OperationOutcome's diagnostics
    // ("the patient opposed emergency access to their DMP") does not, the rule stays internal.
    it('R3.5 names the rule in the refusal of break-glass', async () => {
      const res = await (await w.agent('strangerBreakGlass')).get(`/fhir/DocumentReference?patient=${w.id('bob')}`);
      expect(res.body.issue[0].diagnostics).toContain('R3.5');
    });

    it('R3.4 refuses a blocked professional authorising themselves', async () => {
      const selfPermit = fhir.accessChoices(w.id('alice'), { permit: [RPPS.blocked] });
      expect(outcome(await postAs(await w.agent('blocked'), selfPermit))).toBe('403 BLOCKED_BY_PATIENT');
    });

    it('D20 R8.7 shows reception whether a DMP is open, never the holder’s access choices', async () => {
      const reception = await w.agent('reception');
      const open = await reception.get(`/fhir/Consent?patient=${w.id('alice')}&${CREATION}&status=active`);
      expect((open.body as Bundle).total).toBe(1);
      expect((await reception.get(`/fhir/Consent?patient=${w.id('alice')}&${ACCESS}`)).body.total).toBe(0);
      expect((await reception.get(`/fhir/Consent/${w.id('alice-choices')}`)).status).toBe(404);
      expect((await (await w.agent('nurse')).get(`/fhir/Consent/${w.id('alice-choices')}`)).status).toBe(404);
      expect((await (await w.agent('alice')).get(`/fhir/Consent/${w.id('alice-choices')}`)).status).toBe(200);
    });

    it('D21 refuses a Patient whose INS key is wrong (422 naming the identifier)', async () => {
      const wrongKey = `${fhir.ins('2800175999999').slice(0, 13)}00`;
      const res = await postAs(await w.agent('reception'), fhir.patient('Faux', 'Clé', wrongKey, '1980-01-01'));
      expect(outcome(res)).toBe('422 INS_INVALID');
      expect(res.body.issue[0].expression).toEqual(['Patient.identifier[0].value']);
    });

    it('D21 refuses a second Patient with the same INS (409)', async () => {
      const res = await postAs(await w.agent('reception'), fhir.patient('Martin', 'Alice', w.ins('alice'), '1980-04-12'));
      expect(outcome(res)).toBe('409 INS_ALREADY_USED');
    });

    it('D21 R3.7 lets any professional find a patient by exact INS, a name search only those they reach', async () => {
      const byIns = `/fhir/Patient?identifier=${encodeURIComponent(`${fhir.INS_TEST_SYSTEM}|${w.ins('alice')}`)}`;
      for (const caller of ['stranger', 'nurse', 'reception'] as const) {
        const res = await (await w.agent(caller)).get(byIns);
        expect(res.body.entry?.map((e: { resource: { id: string } }) => w.name(e.resource.id)), caller).toEqual(['alice']);
      }
      expect((await (await w.agent('stranger')).get('/fhir/Patient?name=Martin')).body.total).toBe(0);
      expect((await (await w.agent('nurse')).get('/fhir/Patient?name=Martin')).body.total).toBe(1);
      expect((await (await w.agent('blocked')).get(byIns)).body.total).toBe(0);
    });
  });

  describe('writes that change the record, each on its own app', () => {
    const world = useSmallWorld(kind, 'fresh');
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('D19 refuses a second active dmp-access Consent (409) and takes changes by PUT', async () => {
      const alice = await w.agent('alice');
      expect(outcome(await postAs(alice, fhir.accessChoices(w.id('alice'), { permit: [RPPS.stranger] })))).toBe('409 ACCESS_CHOICES_EXIST');
      const changed = { ...fhir.accessChoices(w.id('alice'), { ...ALICE_CHOICES, permit: [...ALICE_CHOICES.permit!, RPPS.stranger] }), id: w.id('alice-choices') };
      expect(outcome(await putAs(alice, changed))).toBe('200');
      expect(await findDocs(w, 'stranger', `patient=${w.id('alice')}`)).toContain('a-report');
    });

    it('R3.6 applies a revoked authorisation from the next request', async () => {
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).toContain('a-report');
      const revoked = { ...fhir.accessChoices(w.id('alice'), { ...ALICE_CHOICES, permit: ALICE_CHOICES.permit!.filter((r) => r !== RPPS.nurse) }), id: w.id('alice-choices') };
      expect(outcome(await putAs(await w.agent('alice'), revoked))).toBe('200');
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).toEqual([]);
      expect(outcome(await postAs(await w.agent('nurse'), report(w.id('alice'))))).toBe('403 NO_ACCESS_TO_PATIENT');
    });

    it('R9.1 R9.2 a closed DMP takes no writes and gives professionals nothing; the holder still reads it', async () => {
      const bob = await w.agent('bob');
      const open = (await bob.get(`/fhir/Consent/${w.id('bob-dmp')}`)).body as Consent;
      expect(outcome(await putAs(bob, fhir.dmpClosure(open)))).toBe('200');
      expect(outcome(await postAs(await w.agent('physician'), report(w.id('bob'))))).toBe('409 DMP_CLOSED');
      expect(outcome(await (await w.agent('physician')).get(`/fhir/DocumentReference/${w.id('b-report')}`))).toBe('409 DMP_CLOSED');
      expect(await findDocs(w, 'bob', `patient=${w.id('bob')}`)).toEqual(['b-report']);
    });

    it('R3.1 D19 lets a professional record the holder’s authorisation naming only themselves', async () => {
      const fred = createdId(await postAs(await w.agent('reception'), fhir.patient('Leroy', 'Fred', fhir.ins('1780575123456'), '1978-05-05')))!;
      expect(outcome(await postAs(await w.agent('reception'), fhir.dmpCreation(fred, `Patient/${fred}`)))).toBe('201');
      const stranger = await w.agent('stranger');
      expect(outcome(await postAs(stranger, fhir.accessChoices(fred, { permit: [RPPS.stranger, RPPS.nurse] })))).toBe('403 SELF_PERMIT_ONLY');
      expect(outcome(await postAs(stranger, fhir.accessChoices(fred, { gp: [RPPS.stranger] })))).toBe('403 SELF_PERMIT_ONLY');
      expect(outcome(await postAs(stranger, fhir.accessChoices(fred, { permit: [RPPS.stranger] })))).toBe('201');
      expect(outcome(await postAs(stranger, report(fred)))).toBe('201');
    });

    it('R2.3 D34 refuses opening a minor’s DMP without a rep as performer (422 naming Consent.performer)', async () => {
      const reception = await w.agent('reception');
      const minor = createdId(await postAs(reception, fhir.patient('Durand', 'Léa', fhir.ins('2150375123456'), fhir.dateBefore(9))))!;
      const former = createdId(await postAs(reception, fhir.representative(minor, 'GUARD', { start: fhir.dateBefore(9), end: fhir.dateBefore(1) })))!;
      const bySelf = await postAs(reception, fhir.dmpCreation(minor, `Patient/${minor}`));
      expect(outcome(bySelf)).toBe('422 MINOR_NEEDS_REPRESENTATIVE');
      expect(bySelf.body.issue[0].expression).toEqual(['Consent.performer']);
      expect(outcome(await postAs(reception, fhir.dmpCreation(minor, `RelatedPerson/${former}`)))).toBe('422 MINOR_NEEDS_REPRESENTATIVE');
    });

    it('R2.2 lets the holder, a professional, reception and an insurer agent open a DMP', async () => {
      const reception = await w.agent('reception');
      const ids = [];
      for (const given of ['Anne', 'Bea', 'Cléo', 'Dora']) {
        ids.push(createdId(await postAs(reception, fhir.patient('Morel', given, fhir.ins(`28001751${ids.length}3456`), '1980-01-01')))!);
      }
      const holder = await w.t.as({ role: 'patient', fhirUser: `Patient/${ids[0]}`, expiresIn: '365d' });
      expect(outcome(await postAs(holder, fhir.dmpCreation(ids[0]!, `Patient/${ids[0]}`)))).toBe('201');
      expect(outcome(await postAs(await w.agent('nurse'), fhir.dmpCreation(ids[1]!, `Patient/${ids[1]}`)))).toBe('201');
      expect(outcome(await postAs(reception, fhir.dmpCreation(ids[2]!, `Patient/${ids[2]}`)))).toBe('201');
      expect(outcome(await postAs(await w.agent('insurerAgent'), fhir.dmpCreation(ids[3]!, `Patient/${ids[3]}`)))).toBe('201');
      expect(outcome(await postAs(await w.agent('insurerFeed'), fhir.dmpCreation(ids[3]!, `Patient/${ids[3]}`)))).toBe('403 ROLE_NOT_ALLOWED');
    });
  });
});
