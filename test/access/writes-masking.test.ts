import type { DocumentReference } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { RPPS } from './callers.js';
import { findDocs, outcome, read, useSmallWorld } from './helpers.js';
import * as fhir from './resources.js';
import { createdId, postAs, putAs, type World } from './scenario.js';

/**
 * Masking and visibility labels written through the API (R5.2–R5.6, R8.6, R3.6), and the rules
 * that move with time (R5.3 release after a month, R7.5 end of a rep's rights at 18), on apps with
 * an injected clock. Refusals share one freshly seeded app; every test that changes the record
 * has its own.
 */

const DAY = 86_400_000;
const masked = (doc: DocumentReference, ...labels: fhir.Label[]): DocumentReference => ({
  ...doc,
  securityLabel: labels.map((code) => ({ coding: [{ system: fhir.TRE_A07, code }] })),
});
const unlabelled = (doc: DocumentReference): DocumentReference => {
  const { securityLabel: _labels, ...rest } = doc;
  return rest;
};

describe.each(STORE_KINDS)('masking and labels (%s store)', (kind) => {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);

  describe('refusals, on one shared app', () => {
    const world = useSmallWorld(kind, 'shared');
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('R8.6 R5.2 refuses the holder masking reimbursement data (422)', async () => {
      const res = await putAs(await w.agent('alice'), masked(w.stored.get('a-reimbursement') as DocumentReference, 'MASQUE_PS'));
      expect(outcome(res)).toBe('422 REIMBURSEMENT_NOT_MASKABLE');
      expect(res.body.issue[0].expression).toEqual(['DocumentReference.securityLabel']);
    });

    it('R8.6 refuses reimbursement data deposited masked, by the feed itself (422)', async () => {
      const doc = fhir.documentReference(w.id('alice'), { type: [fhir.TRE_A05, 'REMB'], classCode: '60', labels: ['MASQUE_PS'] });
      expect(outcome(await postAs(await w.agent('insurerFeed'), doc))).toBe('422 REIMBURSEMENT_NOT_MASKABLE');
    });

    it('R5.2 lets the holder set no other label than MASQUE_PS on a professional’s document', async () => {
      const res = await putAs(await w.agent('alice'), masked(w.stored.get('a-report') as DocumentReference, 'INVISIBLE_PATIENT'));
      expect(outcome(res)).toBe('403 LABEL_NOT_ALLOWED');
    });
  });

  describe('writes that change the record, each on its own app (clock at real time + offset)', () => {
    beforeEach(() => {
      offset = 0; // before the world is seeded: deposits are dated by this clock
    });
    const world = useSmallWorld(kind, 'fresh', { app: { clock } });
    let w: World;
    beforeEach(() => {
      w = world();
    });

    it('R5.2 R3.6 hides a report the holder masks from the nurse on her next request, not from its author or the GP', async () => {
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).toContain('a-report');
      const res = await putAs(await w.agent('alice'), masked(w.stored.get('a-report') as DocumentReference, 'MASQUE_PS'));
      expect(outcome(res)).toBe('200');
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).not.toContain('a-report');
      expect((await read(w, 'nurse', `DocumentReference/${w.id('a-report')}`)).status).toBe(404);
      expect(await findDocs(w, 'physician', `patient=${w.id('alice')}`)).toContain('a-report');
      expect(await findDocs(w, 'gp', `patient=${w.id('alice')}`)).toContain('a-report');
      // unmasking brings it back
      expect(outcome(await putAs(await w.agent('alice'), unlabelled(res.body as DocumentReference)))).toBe('200');
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).toContain('a-report');
    });

    it('R5.6 masking hides and never alters: the holder reads the same document, its first version intact', async () => {
      const before = w.stored.get('a-report') as DocumentReference;
      expect((await putAs(await w.agent('alice'), masked(before, 'MASQUE_PS'))).status).toBe(200);
      const after = await read(w, 'alice', `DocumentReference/${w.id('a-report')}`);
      const { meta: _m1, securityLabel: _s1, ...was } = before;
      const { meta: _m2, securityLabel: labels, ...is } = after.body;
      expect(is).toEqual(was);
      expect(labels).toEqual([{ coding: [{ system: fhir.TRE_A07, code: 'MASQUE_PS' }] }]);
      expect((await read(w, 'alice', `DocumentReference/${w.id('a-report')}/_history/1`)).body).toEqual(before);
    });

    it('R5.2 lets the author mask at deposit', async () => {
      const res = await postAs(await w.agent('physician'), fhir.documentReference(w.id('alice'), { type: [fhir.LOINC, '11488-4'], labels: ['MASQUE_PS'] }));
      expect(res.status).toBe(201);
      expect(await findDocs(w, 'physician', `patient=${w.id('alice')}`)).toContain(`?${createdId(res)}`);
      expect(await findDocs(w, 'nurse', `patient=${w.id('alice')}`)).not.toContain(`?${createdId(res)}`);
    });

    // BUG (reported): only DocumentReferences record their author in the access facts, so the
    // professional who records a masked Immunization (meta.security) cannot read it back.
    it('R5.1 lets the professional who recorded a masked Immunization read it back', async () => {
      const res = await postAs(await w.agent('physician'), fhir.immunization(w.id('alice'), ['MASQUE_PS']));
      expect(res.status).toBe(201);
      expect((await read(w, 'gp', `Immunization/${createdId(res)}`)).status).toBe(200);
      expect((await read(w, 'nurse', `Immunization/${createdId(res)}`)).status).toBe(404);
      expect((await read(w, 'physician', `Immunization/${createdId(res)}`)).status).toBe(200);
    });

    it('R5.3 releases a result when a professional with access removes INVISIBLE_PATIENT', async () => {
      expect(await findDocs(w, 'alice', `patient=${w.id('alice')}`)).not.toContain('a-lab-unreleased');
      const res = await putAs(await w.agent('nurse'), unlabelled(w.stored.get('a-lab-unreleased') as DocumentReference));
      expect(outcome(res)).toBe('200');
      expect(await findDocs(w, 'alice', `patient=${w.id('alice')}`)).toContain('a-lab-unreleased');
    });

    it('R5.3 releases a result by itself one month after its deposit', async () => {
      offset = 27 * DAY;
      expect((await read(w, 'alice', `DocumentReference/${w.id('a-lab-unreleased')}`)).status).toBe(404);
      offset = 32 * DAY;
      expect((await read(w, 'alice', `DocumentReference/${w.id('a-lab-unreleased')}`)).status).toBe(200);
      expect(await findDocs(w, 'alice', `patient=${w.id('alice')}`)).toContain('a-lab-unreleased');
    });

    it('R7.5 R5.4 ends a rep’s rights on the day the holder turns 18, with no manual step', async () => {
      const reception = await w.agent('reception');
      const zoe = createdId(await postAs(reception, fhir.patient('Durand', 'Zoé', fhir.ins('2070375123456'), fhir.dateBefore(18, -3))))!;
      const father = createdId(await postAs(reception, fhir.representative(zoe, 'PRN', { start: fhir.dateBefore(18, -3) })))!;
      expect(outcome(await postAs(reception, fhir.dmpCreation(zoe, `RelatedPerson/${father}`)))).toBe('201');
      const rep = await w.t.as({ role: 'legal-representative', fhirUser: `RelatedPerson/${father}`, expiresIn: '365d' });
      expect(outcome(await postAs(rep, fhir.accessChoices(zoe, { gp: [RPPS.gp] })))).toBe('201');
      const gp = await w.agent('gp');
      const plain = createdId(await postAs(gp, fhir.documentReference(zoe, { type: [fhir.LOINC, '11488-4'] })))!;
      const hidden = createdId(await postAs(gp, fhir.documentReference(zoe, { type: [fhir.LOINC, '11488-4'], labels: ['INVISIBLE_REPRESENTANTS_LEGAUX'] })))!;
      expect((await rep.get(`/fhir/DocumentReference/${plain}`)).status).toBe(200);
      expect((await rep.get(`/fhir/DocumentReference/${hidden}`)).status).toBe(404);
      offset = 4 * DAY;
      expect((await rep.get(`/fhir/DocumentReference/${plain}`)).status).toBe(404);
      expect((await rep.get(`/fhir/DocumentReference?patient=${zoe}`)).body.total).toBe(0);
      expect((await gp.get(`/fhir/DocumentReference/${hidden}`)).status).toBe(200);
    });
  });
});
