import type { DocumentReference } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { HOSPITAL, RPPS } from './callers.js';
import { findDocs, outcome, read, useSmallWorld } from './helpers.js';
import * as fhir from './resources.js';
import { createdId, postAs, putAs, type World } from './scenario.js';

/**
 * Deposits and replacements by professionals, delegates and the insurer feed (R4.5, R8.1–R8.5,
 * D17): refusals and reads share one freshly seeded app, every test that
 * changes the record has its own (scenario.ts, `small`).
 */

const report = (holderId: string, extra: Partial<DocumentReference> = {}): DocumentReference => ({
  ...fhir.documentReference(holderId, { type: [fhir.LOINC, '11488-4'] }),
  ...extra,
});
const ACTOR_TAG = { system: 'https://dmp-fhir-server.example/CodeSystem/actor', code: 'delegate' };

describe.each(STORE_KINDS)('writing documents (%s store)', (kind) => {
  describe('refusals and reads, on one shared app', () => {
    const world = useSmallWorld(kind, 'shared');
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('R8.1 records the depositing professional as author when the document names none', () => {
      expect((w.stored.get('a-report') as DocumentReference).author).toEqual([{ identifier: { system: fhir.RPPS_SYSTEM, value: RPPS.physician } }]);
    });

    it('R8.1 refuses a deposit naming another professional as author (403)', async () => {
      const res = await postAs(await w.agent('nurse'), fhir.documentReference(w.id('alice'), { type: [fhir.LOINC, '11488-4'], authorRpps: RPPS.physician }));
      expect(outcome(res)).toBe('403 AUTHOR_NOT_CALLER');
    });

    it('R3.7 R3.4 R1.3 refuses deposits by an unauthorised, a blocked and an occupational physician', async () => {
      const doc = report(w.id('alice'));
      expect(outcome(await postAs(await w.agent('stranger'), doc))).toBe('403 NO_ACCESS_TO_PATIENT');
      expect(outcome(await postAs(await w.agent('blocked'), doc))).toBe('403 BLOCKED_BY_PATIENT');
      expect(outcome(await postAs(await w.agent('blockedBreakGlass'), doc))).toBe('403 BLOCKED_BY_PATIENT');
      expect(outcome(await postAs(await w.agent('occupational'), doc))).toBe('403 ROLE_NOT_ALLOWED');
    });

    // The Organization itself is created at boot (src/lifecycle/boot.ts); test apps skip the boot,
    // so the author names it by its FINESS, which the reference carries in either case.
    it('D17 records the Assurance Maladie Organization as author of the feed’s deposits', () => {
      const author = (w.stored.get('a-reimbursement') as DocumentReference).author ?? [];
      expect(author).toHaveLength(1);
      expect(author[0]?.identifier).toEqual({ system: 'https://finess.esante.gouv.fr', value: w.t.config.insurer.finess });
    });
  });

  describe('writes that change the record, each on its own app', () => {
    const world = useSmallWorld(kind, 'fresh');
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('R8.2 answers a delegate’s deposit 201 with a Location and no body, even when asked for one', async () => {
      const res = await (await w.agent('delegate'))
        .post('/fhir/DocumentReference')
        .set('content-type', 'application/fhir+json')
        .set('prefer', 'return=representation')
        .send(JSON.stringify(report(w.id('alice'))));
      expect(res.status).toBe(201);
      expect(res.text).toBe('');
      expect(res.headers['content-length'] ?? '0').toBe('0');
      expect(createdId(res)).toBeTruthy();
    });

    it('R8.1 R8.2 records a delegate’s deposit in the name of its professional, with the delegate tag', async () => {
      const res = await postAs(await w.agent('delegate'), report(w.id('alice')));
      const stored = await read(w, 'physician', `DocumentReference/${createdId(res)}`);
      expect(stored.status).toBe(200);
      expect(stored.body.author).toEqual([{ identifier: { system: fhir.RPPS_SYSTEM, value: RPPS.physician } }]);
      expect(stored.body.meta?.tag).toContainEqual(ACTOR_TAG);
      expect(outcome(await (await w.agent('delegate')).get(`/fhir/DocumentReference/${createdId(res)}`))).toBe('403 ROLE_NOT_ALLOWED');
    });

    it('R8.3 lets only the author replace a document in place (PUT)', async () => {
      const current = w.stored.get('a-report') as DocumentReference;
      const changed = { ...current, description: 'compte rendu corrigé' };
      expect(outcome(await putAs(await w.agent('nurse'), changed))).toBe('403 NOT_THE_AUTHOR');
      expect(outcome(await putAs(await w.agent('gp'), changed))).toBe('403 NOT_THE_AUTHOR');
      expect(outcome(await putAs(await w.agent('physician'), changed))).toBe('200');
    });

    it('R8.3 lets only the author deposit a replacement (relatesTo replaces)', async () => {
      const replacement = report(w.id('alice'), { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${w.id('a-report')}` } }] });
      expect(outcome(await postAs(await w.agent('nurse'), replacement))).toBe('403 NOT_THE_AUTHOR');
      expect(outcome(await postAs(await w.agent('physician'), replacement))).toBe('201');
    });

    it('R8.3 lets only the author delete a document', async () => {
      expect(outcome(await (await w.agent('nurse')).delete(`/fhir/DocumentReference/${w.id('a-report')}`))).toBe('403 NOT_THE_AUTHOR');
      expect(outcome(await (await w.agent('physician')).delete(`/fhir/DocumentReference/${w.id('a-report')}`))).toBe('200');
    });

    it('R8.3 lets a professional of the author’s structure replace a document that names the structure', async () => {
      const res = await postAs(await w.agent('hospitalDoctor'), report(w.id('alice'), { author: [{ identifier: { system: fhir.FINESS_SYSTEM, value: HOSPITAL } }] }));
      expect(res.status).toBe(201);
      const colleague = await w.t.as({ role: 'professional', rpps: '10000000099', profession: '10', specialty: 'SM26', organization: HOSPITAL });
      expect(outcome(await putAs(colleague, { ...res.body, description: 'complété' }))).toBe('200');
    });

    it('R8.3 lets a professional of the author’s structure replace what the author deposited for it', async () => {
      const res = await postAs(await w.agent('hospitalDoctor'), report(w.id('alice')));
      const colleague = await w.t.as({ role: 'professional', rpps: '10000000099', profession: '10', specialty: 'SM26', organization: HOSPITAL });
      expect(outcome(await putAs(colleague, { ...res.body, description: 'complété' }))).toBe('200');
    });

    it('R8.3 marks the replaced document superseded and leaves it out of default searches', async () => {
      const replacement = report(w.id('alice'), { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${w.id('a-report')}` } }] });
      const res = await postAs(await w.agent('physician'), replacement);
      expect(res.status).toBe(201);
      expect((await read(w, 'physician', `DocumentReference/${w.id('a-report')}`)).body.status).toBe('superseded');
      expect(await findDocs(w, 'physician', `patient=${w.id('alice')}`)).not.toContain('a-report');
      expect(await findDocs(w, 'physician', `patient=${w.id('alice')}`)).toContain(`?${createdId(res)}`);
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}&status=superseded`)).toEqual(['a-report']);
    });

    it('R8.4 lets only a DMP GP deposit the medical summary (VSM)', async () => {
      const vsm = fhir.documentReference(w.id('alice'), { type: [fhir.LOINC, '60591-5'] });
      expect(outcome(await postAs(await w.agent('physician'), vsm))).toBe('403 SUMMARY_BY_GP_ONLY');
      expect(outcome(await postAs(await w.agent('strangerBreakGlass'), vsm))).toBe('403 SUMMARY_BY_GP_ONLY');
      expect(outcome(await postAs(await w.agent('gp'), vsm))).toBe('201');
    });

    it('R4.5 lets a professional deposit a family the matrix hides from them, then hides it (R4.3)', async () => {
      const res = await postAs(await w.agent('podiatrist'), fhir.documentReference(w.id('alice'), { type: [fhir.LOINC, '68599-0'] }));
      expect(res.status).toBe(201);
      expect((await read(w, 'podiatrist', `DocumentReference/${createdId(res)}`)).status).toBe(404);
      expect((await read(w, 'physician', `DocumentReference/${createdId(res)}`)).status).toBe(200);
    });

    it('R6.1 lets break-glass deposit into the DMP of a holder who did not oppose it', async () => {
      expect(outcome(await postAs(await w.agent('strangerBreakGlass'), report(w.id('alice'))))).toBe('201');
      expect(outcome(await postAs(await w.agent('strangerBreakGlass'), report(w.id('bob'))))).toBe('403 EMERGENCY_ACCESS_OPPOSED');
    });

    it('R8.5 lets the insurer feed write reimbursement history only, and only the feed write it', async () => {
      const remb = fhir.documentReference(w.id('alice'), { type: [fhir.TRE_A05, 'REMB'], classCode: '60' });
      expect(outcome(await postAs(await w.agent('insurerFeed'), report(w.id('alice'))))).toBe('403 REIMBURSEMENT_ONLY');
      expect(outcome(await postAs(await w.agent('physician'), remb))).toBe('403 REIMBURSEMENT_BY_FEED_ONLY');
      expect(outcome(await postAs(await w.agent('insurerFeed'), remb))).toBe('201');
      expect(outcome(await postAs(await w.agent('insurerFeed'), fhir.documentReference(w.id('eve'), { type: [fhir.TRE_A05, 'REMB'], classCode: '60' })))).toBe('409 NO_OPEN_DMP');
    });
  });
});
