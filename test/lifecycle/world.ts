import type { Bundle, Consent, DocumentReference } from 'fhir/r4';
import type { TokenOptions } from '../../src/access/dev-token.js';
import type { TestApp } from '../helpers/app.js';
import { errorCode, FHIR_JSON } from '../helpers/fhir.js';
import * as fhir from '../access/resources.js';

/**
 * Claire's DMP for the lifecycle tests, built through the API by the roles that may write each
 * part: reception registers her and opens her DMP, she names her DMP GP, authorises a nurse and
 * the hospital (FINESS), blocks one physician; the GP deposits a consultation report.
 */

export const HOSPITAL = '750712184';
export const RPPS = {
  gp: '10001000016',
  nurse: '10001000024',
  hospitalDoctor: '10001000032',
  stranger: '10001000040',
  blocked: '10001000057',
} as const;

export const GP: TokenOptions = { role: 'professional', rpps: RPPS.gp, profession: '10', specialty: 'SM54' };
export const NURSE: TokenOptions = { role: 'professional', rpps: RPPS.nurse, profession: '60' };
/** Reaches Claire through the authorised hospital (R3.2): a colleague of no one, author of nothing. */
export const HOSPITAL_DOCTOR: TokenOptions = { role: 'professional', rpps: RPPS.hospitalDoctor, profession: '10', specialty: 'SM59', organization: HOSPITAL };
export const STRANGER: TokenOptions = { role: 'professional', rpps: RPPS.stranger, profession: '10', specialty: 'SM26' };
export const BLOCKED: TokenOptions = { role: 'professional', rpps: RPPS.blocked, profession: '10', specialty: 'SM26' };
export const DELEGATE: TokenOptions = { role: 'delegate', sub: 'secretariat-gp', rpps: RPPS.gp, profession: '10' };
export const RECEPTION: TokenOptions = { role: 'reception', sub: 'reception-1', organization: HOSPITAL };
export const INSURER_AGENT: TokenOptions = { role: 'insurer-agent', sub: 'cpam-agent-1' };
export const FEED: TokenOptions = { role: 'insurer-feed', sub: 'cnam-feed', fhirUser: 'Device/cnam-feed' };
export const ADMIN: TokenOptions = { role: 'admin', sub: 'ops-1' };
export const CLAIRE: TokenOptions = { role: 'patient', fhirUser: 'Patient/claire' };

export const INS_CLAIRE = fhir.ins('2780675112034');

type Agent = Awaited<ReturnType<TestApp['as']>>;

type Body = { resourceType: string; id?: string };

export function putAs<T extends Body>(agent: Agent, resource: T) {
  return agent.put(`/fhir/${resource.resourceType}/${resource.id}`).set('content-type', FHIR_JSON).send(JSON.stringify(resource));
}

export function postAs<T extends Body>(agent: Agent, resource: T) {
  return agent.post(`/fhir/${resource.resourceType}`).set('content-type', FHIR_JSON).send(JSON.stringify(resource));
}

export function patchAs(agent: Agent, url: string, ops: unknown[]) {
  return agent.patch(url).set('content-type', 'application/json-patch+json').send(JSON.stringify(ops));
}

export async function ok(res: { status: number; text: string }, what: string): Promise<void> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
}

/** Status and stable error code of an answer, for one-line assertions. */
export function outcome(res: { status: number; body: unknown }): string {
  const code = errorCode(res.body as Parameters<typeof errorCode>[0]);
  return code ? `${res.status} ${code}` : String(res.status);
}

export const loinc = (code: string): [string, string] => [fhir.LOINC, code];
export const a05 = (code: string): [string, string] => [fhir.TRE_A05, code];

export function document(id: string, options: fhir.DocOptions): DocumentReference {
  return { ...fhir.documentReference('claire', options), id };
}

export function openConsent(): Consent {
  return { ...fhir.dmpCreation('claire', 'Patient/claire'), id: 'claire-dmp' };
}

export function closing(reason: string | undefined, end: string | undefined = new Date().toISOString().slice(0, 10)): Consent {
  return {
    ...openConsent(),
    status: 'inactive',
    ...(reason ? { extension: [{ url: fhir.CLOSURE_REASON, valueCode: reason }] } : {}),
    ...(end ? { provision: { period: { end } } } : {}),
  };
}

export async function claireWorld(t: TestApp): Promise<void> {
  const reception = await t.as(RECEPTION);
  await ok(await putAs(reception, { ...fhir.patient('Moreau', 'Claire', INS_CLAIRE, '1978-06-12'), id: 'claire' }), 'register claire');
  await ok(await putAs(reception, openConsent()), 'open her DMP');
  const claire = await t.as(CLAIRE);
  const choices = fhir.accessChoices('claire', { gp: [RPPS.gp], permit: [RPPS.nurse], structures: [HOSPITAL], blocked: [RPPS.blocked] });
  await ok(await putAs(claire, { ...choices, id: 'claire-choices' }), 'her choices');
  const gp = await t.as(GP);
  await ok(await putAs(gp, document('report', { type: loinc('11488-4'), authorRpps: RPPS.gp })), 'the GP deposits a report');
}

export async function read<T = Bundle>(t: TestApp, who: TokenOptions, url: string): Promise<T> {
  const res = await (await t.as(who)).get(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
  return res.body as T;
}

/** Ids of a searchset's matches. */
export function ids(bundle: { entry?: Array<{ resource?: { id?: string }; search?: { mode?: string } }> }): string[] {
  return (bundle.entry ?? []).filter((e) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome').map((e) => e.resource!.id!).sort();
}
