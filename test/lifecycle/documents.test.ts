import type { DocumentReference } from 'fhir/r4';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, createTestApp, type TestApp } from '../helpers/app.js';
import { CLAIRE, GP, NURSE, RPPS, a05, claireWorld, document, ids, loinc, outcome, putAs, read } from './world.js';

/** The GP's medical summary (VSM, R8.4) and the holder's personal space (R7.2). */
describe.each(STORE_KINDS)('summary and personal space on the %s store', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    await claireWorld(t);
  });
  afterEach(() => t.close());

  it('R8.4 the DMP GP deposits the medical summary (VSM)', async () => {
    const res = await putAs(await t.as(GP), document('vsm', { type: loinc('60591-5') }));
    expect(res.status).toBe(201);
    expect((res.body as DocumentReference).author).toEqual([{ identifier: { system: 'https://rpps.esante.gouv.fr', value: RPPS.gp } }]);
    expect(ids(await read(t, NURSE, '/fhir/DocumentReference?patient=claire&type=http://loinc.org|60591-5'))).toEqual(['vsm']);
  });

  it('R8.4 a professional who is not a DMP GP of the holder may not deposit the VSM', async () => {
    expect(outcome(await putAs(await t.as(NURSE), document('vsm', { type: loinc('60591-5') })))).toBe('403 SUMMARY_BY_GP_ONLY');
  });

  it('R7.2 the holder deposits a personal-space document, authored by themselves', async () => {
    const res = await putAs(await t.as(CLAIRE), document('my-note', { type: a05('DOCPAT01'), description: 'Mes notes' }));
    expect(res.status).toBe(201);
    expect((res.body as DocumentReference).author).toEqual([{ reference: 'Patient/claire' }]);
    expect(ids(await read(t, CLAIRE, '/fhir/DocumentReference?patient=claire'))).toEqual(['my-note', 'report']);
  });

  it("R7.2 R4.2 the personal space is read by the physicians the matrix allows, not by a nurse", async () => {
    await putAs(await t.as(CLAIRE), document('my-note', { type: a05('DOCPAT01') }));
    expect(ids(await read(t, GP, '/fhir/DocumentReference?patient=claire'))).toEqual(['my-note', 'report']);
    expect(ids(await read(t, NURSE, '/fhir/DocumentReference?patient=claire'))).toEqual(['report']);
  });

  it("R7.2 a professional never changes the holder's personal document", async () => {
    await putAs(await t.as(CLAIRE), document('my-note', { type: a05('DOCPAT01') }));
    const mine = await read<DocumentReference>(t, CLAIRE, '/fhir/DocumentReference/my-note');
    expect(outcome(await putAs(await t.as(GP), { ...mine, description: 'corrigé' }))).toBe('403 NOT_THE_AUTHOR');
  });

  it('R7.2 the holder deposits only personal-space or wishes documents', async () => {
    expect(outcome(await putAs(await t.as(CLAIRE), document('fake-report', { type: loinc('11488-4'), authorRpps: RPPS.gp })))).toBe(
      '403 PERSONAL_SPACE_ONLY',
    );
    expect((await putAs(await t.as(CLAIRE), document('directives', { type: a05('EXPPAT_3') }))).status).toBe(201);
  });
});
