import type { AuditEvent, Parameters as FhirParameters } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, STORE_KINDS, type TestApp } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import { auditEvents } from '../audit/dmp-world.js';
import { ADMIN, ALICE, BLOCKED, BOB, GP, HOSPITAL, NURSE, RECEPTION, STRANGER, buildWorld, postJson, type World } from './world.js';

/**
 * D28 `DocumentReference/[id]/$access`: one party per actor of the holder's Consents plus the
 * author, each with who, canSee and the deciding rule, as `pipeline.explain` finds them.
 */

interface PartyView {
  who: string;
  canSee: boolean;
  rule: string;
  roles: string[];
  profession?: string;
  assumed?: boolean;
}

function parties(body: FhirParameters): PartyView[] {
  return (body.parameter ?? []).map((p) => {
    const part = (name: string) => p.part?.filter((x) => x.name === name) ?? [];
    const who = part('who')[0]!.valueReference!;
    return {
      who: `${who.identifier!.system === 'https://rpps.esante.gouv.fr' ? 'rpps' : 'finess'}:${who.identifier!.value}${who.reference ? ` ${who.reference}` : ''}`,
      canSee: part('canSee')[0]!.valueBoolean!,
      rule: part('rule')[0]!.valueString!,
      roles: part('role').map((r) => r.valueCode!),
      ...(part('profession')[0] ? { profession: part('profession')[0]!.valueCoding!.code } : {}),
      ...(part('professionAssumed')[0] ? { assumed: true } : {}),
    };
  });
}

const byWho = (list: PartyView[]) => [...list].sort((a, b) => a.who.localeCompare(b.who));

describe.each(STORE_KINDS)('D28 $access on the %s store', (kind) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(await createTestApp({ kind }));
  });
  afterAll(() => w.t.close());

  const ask = async (who: Parameters<TestApp['as']>[0], id: string, query = '') => (await w.t.as(who)).get(`/fhir/DocumentReference/${id}/$access${query}`);

  it("D28 tells the holder, for each actor of her Consents and the author, whether they can see a report and why", async () => {
    const res = await ask(ALICE, w.doc.report);
    expect(res.status).toBe(200);
    expect(res.body.resourceType).toBe('Parameters');
    expect(byWho(parties(res.body))).toEqual(
      byWho([
        { who: `rpps:${GP.rpps} Practitioner/gp`, canSee: true, rule: 'R3.3', roles: ['author', 'gp'], profession: '10' },
        { who: `rpps:${NURSE.rpps} Practitioner/nurse`, canSee: true, rule: 'R3.1', roles: ['authorised'], profession: '60' },
        { who: `rpps:${BLOCKED.rpps}`, canSee: false, rule: 'R3.4', roles: ['blocked'], profession: '10', assumed: true },
        { who: `finess:${HOSPITAL} Organization/hospital`, canSee: true, rule: 'R3.2', roles: ['structure'], profession: '10', assumed: true },
      ]),
    );
  });

  it('R4.2 R5.1 answers with the rule that hides a document: the matrix for the nurse, masking for a masked one', async () => {
    const psy = parties((await ask(ALICE, w.doc.psy)).body);
    expect(psy.find((p) => p.who.includes(NURSE.rpps))).toMatchObject({ canSee: false, rule: 'R4.2' });
    expect(psy.find((p) => p.who.includes(GP.rpps))).toMatchObject({ canSee: true });
    const masked = parties((await ask(ALICE, w.doc.masked)).body);
    expect(masked.find((p) => p.who.includes(NURSE.rpps))).toMatchObject({ canSee: false, rule: 'R5.1' });
    expect(masked.find((p) => p.who.includes(GP.rpps))).toMatchObject({ canSee: true, rule: 'R3.3' });
  });

  it('answers about the professionals asked for instead, by RPPS, system|value or directory reference', async () => {
    const res = await ask(ALICE, w.doc.report, `?practitioner=${STRANGER.rpps}&practitioner=Practitioner/nurse`);
    expect(res.status).toBe(200);
    expect(byWho(parties(res.body))).toEqual(
      byWho([
        { who: `rpps:${STRANGER.rpps}`, canSee: false, rule: 'R3.7', roles: ['asked'], profession: '10', assumed: true },
        { who: `rpps:${NURSE.rpps} Practitioner/nurse`, canSee: true, rule: 'R3.1', roles: ['asked'], profession: '60' },
      ]),
    );
    const posted = await postJson(await w.t.as(ALICE), `/fhir/DocumentReference/${w.doc.report}/$access`, {
      resourceType: 'Parameters',
      parameter: [{ name: 'practitioner', valueIdentifier: { system: 'https://rpps.esante.gouv.fr', value: BLOCKED.rpps } }],
    });
    expect(posted.status).toBe(200);
    expect(parties(posted.body)).toEqual([{ who: `rpps:${BLOCKED.rpps}`, canSee: false, rule: 'R3.4', roles: ['asked'], profession: '10', assumed: true }]);
    const bad = await ask(ALICE, w.doc.report, '?practitioner=Dr%20Who');
    expect(bad.status).toBe(400);
    expect(errorCode(bad.body)).toBe('INVALID_PARAMETER');
  });

  it('D28 is open to the administrator, who gets the same answer without reading the document', async () => {
    const admin = await ask(ADMIN, w.doc.report);
    expect(admin.status).toBe(200);
    expect(byWho(parties(admin.body))).toEqual(byWho(parties((await ask(ALICE, w.doc.report)).body)));
  });

  it('D28 answers 403 to professionals and other roles, whatever their access', async () => {
    for (const who of [GP, NURSE, STRANGER, RECEPTION]) {
      const res = await ask(who, w.doc.report);
      expect(res.status, who.role).toBe(403);
      expect(errorCode(res.body)).toBe('ACCESS_REPORT_NOT_ALLOWED');
    }
  });

  it('D28 answers 404 when the caller cannot read the document: unreleased to the holder, another holder, unknown', async () => {
    const unreleased = await ask(ALICE, w.doc.unreleased);
    expect(unreleased.status).toBe(404);
    expect(errorCode(unreleased.body)).toBe('RESOURCE_NOT_FOUND');
    expect((await ask(BOB, w.doc.report)).status).toBe(404);
    expect((await ask(ALICE, w.bobDoc)).status).toBe(404);
    expect((await ask(ADMIN, 'no-such-document')).status).toBe(404);
  });

  it('R10.1 traces the question as the $access operation on the document', async () => {
    const before = (await auditEvents(w.t)).length;
    expect((await ask(ALICE, w.doc.report)).status).toBe(200);
    const [event] = (await auditEvents(w.t)).slice(before) as AuditEvent[];
    expect(event!.subtype?.map((c) => c.code)).toEqual(['operation', '$access']);
    const traced = (event!.entity ?? []).map((e) => e.what?.reference);
    expect(traced).toContain('Patient/alice');
    expect(traced.some((r) => r?.startsWith(`DocumentReference/${w.doc.report}`))).toBe(true);
  });
});
