import type { AllergyIntolerance, Bundle, DocumentReference, Immunization, Organization, Practitioner, PractitionerRole, Resource } from 'fhir/r4';
import type { TestApp } from '../helpers/app.js';
import { FHIR_JSON } from '../helpers/fhir.js';
import * as fhir from '../access/resources.js';

/**
 * A small DMP world for the operations, built THROUGH THE API by the roles that may write each
 * part (access rules on):
 * - the directory (admin): the GP (médecin, SM54) and the nurse (infirmier) with their
 *   PractitionerRoles, and the hospital (FINESS);
 * - alice: registered and her DMP opened by reception; she authorises the nurse and the hospital,
 *   names the GP her DMP GP and blocks BLOCKED; the GP deposits a report with its Binary, a
 *   psychiatric synthesis, an imaging report, a result not yet released to her (INVISIBLE_PATIENT),
 *   a report masked to professionals, a report she then archives, and one he then marks
 *   superseded; he records an allergy and a vaccination;
 * - bob: another holder with his own DMP and report, which nothing of alice's may show.
 */

export type Agent = Awaited<ReturnType<TestApp['as']>>;

export const GP = { role: 'professional', rpps: '10000000011', profession: '10', specialty: 'SM54', fhirUser: 'Practitioner/gp' } as const;
export const NURSE = { role: 'professional', rpps: '10000000022', profession: '60', fhirUser: 'Practitioner/nurse' } as const;
export const STRANGER = { role: 'professional', rpps: '10000000033', profession: '10', specialty: 'SM59' } as const;
export const BLOCKED = { role: 'professional', rpps: '10000000044', profession: '10', specialty: 'SM26' } as const;
export const RECEPTION = { role: 'reception', organization: '750712184' } as const;
export const ALICE = { role: 'patient', fhirUser: 'Patient/alice' } as const;
export const BOB = { role: 'patient', fhirUser: 'Patient/bob' } as const;
export const ADMIN = { role: 'admin' } as const;
export const HOSPITAL = '750000001';

export const ALICE_INS = fhir.ins('2800175123456');
export const BOB_INS = fhir.ins('1750599123456');

/** Alice's documents by name; `id` is the server id. */
export const ALICE_DOCS = ['report', 'psy', 'imaging', 'unreleased', 'masked', 'archived', 'superseded'] as const;
export type AliceDoc = (typeof ALICE_DOCS)[number];

export interface World {
  t: TestApp;
  doc: Record<AliceDoc, string>;
  bobDoc: string;
  binary: string;
  allergy: string;
  immunization: string;
}

export function putJson(agent: Agent, url: string, body: unknown) {
  return agent.put(url).set('content-type', FHIR_JSON).send(JSON.stringify(body));
}

export function postJson(agent: Agent, url: string, body: unknown) {
  return agent.post(url).set('content-type', FHIR_JSON).send(JSON.stringify(body));
}

async function ok<T extends Resource>(res: { status: number; text: string; body: unknown }, what: string): Promise<T> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body as T;
}

const professionCoding = (code: string) => ({ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante', code }] });

async function directory(admin: Agent): Promise<void> {
  const organization: Organization = { resourceType: 'Organization', id: 'hospital', identifier: [{ system: fhir.FINESS_SYSTEM, value: HOSPITAL }], name: 'Hôpital' };
  await ok(await putJson(admin, '/fhir/Organization/hospital', organization), 'the hospital');
  for (const [id, who] of [['gp', GP], ['nurse', NURSE]] as const) {
    const practitioner: Practitioner = { resourceType: 'Practitioner', id, identifier: [{ system: fhir.RPPS_SYSTEM, value: who.rpps }], name: [{ family: id }] };
    await ok(await putJson(admin, `/fhir/Practitioner/${id}`, practitioner), `Practitioner ${id}`);
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: `${id}-role`,
      practitioner: { reference: `Practitioner/${id}` },
      code: [professionCoding(who.profession)],
      ...('specialty' in who ? { specialty: [{ coding: [{ system: 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale', code: who.specialty }] }] } : {}),
    };
    await ok(await putJson(admin, `/fhir/PractitionerRole/${id}-role`, role), `PractitionerRole ${id}`);
  }
}

async function deposit(gp: Agent, holder: string, options: fhir.DocOptions): Promise<DocumentReference> {
  const doc = fhir.documentReference(holder, { authorRpps: GP.rpps, ...options });
  // the author also as a directory reference, so that $everything includes the Practitioner
  doc.author = [{ reference: 'Practitioner/gp', identifier: { system: fhir.RPPS_SYSTEM, value: GP.rpps } }];
  return ok<DocumentReference>(await postJson(gp, '/fhir/DocumentReference', doc), `deposit ${options.type[1]}`);
}

export async function buildWorld(t: TestApp): Promise<World> {
  await directory(await t.as(ADMIN));
  const reception = await t.as(RECEPTION);
  const alice = await t.as(ALICE);
  const gp = await t.as(GP);
  await ok(await putJson(reception, '/fhir/Patient/alice', { ...fhir.patient('Martin', 'Alice', ALICE_INS, '1980-01-01'), id: 'alice' }), 'register alice');
  await ok(await putJson(reception, '/fhir/Consent/open-alice', { ...fhir.dmpCreation('alice', 'Patient/alice'), id: 'open-alice' }), 'open her DMP');
  const choices = fhir.accessChoices('alice', { permit: [NURSE.rpps], structures: [HOSPITAL], gp: [GP.rpps], blocked: [BLOCKED.rpps] });
  await ok(await putJson(alice, '/fhir/Consent/access-alice', { ...choices, id: 'access-alice' }), 'her choices');

  const binary = await ok<Resource>(await postJson(gp, '/fhir/Binary', fhir.binary()), 'the report content');
  const loinc = (code: string): [string, string] => [fhir.LOINC, code];
  const doc = {} as Record<AliceDoc, string>;
  doc.report = (await deposit(gp, 'alice', { type: loinc('11488-4'), binaryId: binary.id! })).id!;
  doc.psy = (await deposit(gp, 'alice', { type: loinc('68599-0') })).id!;
  doc.imaging = (await deposit(gp, 'alice', { type: loinc('18748-4') })).id!;
  doc.unreleased = (await deposit(gp, 'alice', { type: loinc('11502-2'), labels: ['INVISIBLE_PATIENT'] })).id!;
  doc.masked = (await deposit(gp, 'alice', { type: loinc('11490-0'), labels: ['MASQUE_PS'] })).id!;
  const archived = await deposit(gp, 'alice', { type: loinc('34112-3') });
  doc.archived = archived.id!;
  await ok(await putJson(alice, `/fhir/DocumentReference/${archived.id}`, { ...archived, extension: [{ url: fhir.ARCHIVED, valueBoolean: true }] }), 'alice archives a report');
  const superseded = await deposit(gp, 'alice', { type: loinc('15507-7') });
  doc.superseded = superseded.id!;
  await ok(await putJson(gp, `/fhir/DocumentReference/${superseded.id}`, { ...superseded, status: 'superseded' }), 'the GP supersedes a report');

  const allergy: AllergyIntolerance = { ...fhir.allergy('alice'), recorder: { reference: 'Practitioner/gp' } };
  const allergyId = (await ok<Resource>(await postJson(gp, '/fhir/AllergyIntolerance', allergy), 'an allergy')).id!;
  const immunization: Immunization = fhir.immunization('alice');
  const immunizationId = (await ok<Resource>(await postJson(gp, '/fhir/Immunization', immunization), 'a vaccination')).id!;

  await ok(await putJson(reception, '/fhir/Patient/bob', { ...fhir.patient('Durand', 'Bob', BOB_INS, '1975-05-05'), id: 'bob' }), 'register bob');
  await ok(await putJson(await t.as(BOB), '/fhir/Consent/open-bob', { ...fhir.dmpCreation('bob', 'Patient/bob'), id: 'open-bob' }), 'bob opens his DMP');
  await ok(await putJson(await t.as(BOB), '/fhir/Consent/access-bob', { ...fhir.accessChoices('bob', { gp: [GP.rpps] }), id: 'access-bob' }), 'his choices');
  const bobDoc = (await deposit(gp, 'bob', { type: loinc('11488-4') })).id!;

  return { t, doc, bobDoc, binary: binary.id!, allergy: allergyId, immunization: immunizationId };
}

/** Every page of a $everything from `url`, following `next` links (relative to the test server). */
export async function allPages(agent: Agent, url: string): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let next: string | undefined = url;
  while (next) {
    const res = await agent.get(next);
    if (res.status !== 200) throw new Error(`${next}: ${res.status} ${res.text}`);
    const page = res.body as Bundle;
    pages.push(page);
    const link = page.link?.find((l) => l.relation === 'next')?.url;
    next = link ? link.replace(/^https?:\/\/[^/]+/, '') : undefined;
    if (pages.length > 100) throw new Error('more than 100 pages: the links loop');
  }
  return pages;
}

/** `Type/id` of the entries of a Bundle with this search mode. */
export function refs(bundle: Bundle, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => `${e.resource!.resourceType}/${e.resource!.id}`);
}
