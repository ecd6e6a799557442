import type { Patient } from 'fhir/r4';
import { accessChoices, dmpCreation, doc } from '../../src/access/test-fixture.js';
import type { TestApp } from '../helpers/app.js';
import { FHIR_JSON } from '../helpers/fhir.js';

type Agent = Awaited<ReturnType<TestApp['as']>>;

export function putJson(agent: Agent, url: string, body: unknown) {
  return agent.put(url).set('content-type', FHIR_JSON).send(JSON.stringify(body));
}

/** Claims of the actors of the audit scenarios. */
export const GP = { role: 'professional', rpps: '10000000011', profession: '10', specialty: 'SM54', fhirUser: 'Practitioner/gp' } as const;
export const NURSE = { role: 'professional', rpps: '10000000022', profession: '60', fhirUser: 'Practitioner/nurse' } as const;
export const STRANGER = { role: 'professional', rpps: '10000000033', profession: '10', specialty: 'SM59' } as const;
export const EMERGENCY = { ...STRANGER, purpose: 'ETREAT' } as const;
export const RECEPTION = { role: 'reception', organization: '750712184' } as const;
export const HOLDER = { role: 'patient', fhirUser: 'Patient/alice' } as const;

async function ok(res: { status: number; text: string }, what: string): Promise<void> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
}

/**
 * Alice's DMP, built through the API by the roles that may write each part: reception registers
 * her and opens her DMP with her consent, she authorises the nurse and names her DMP GP, the GP
 * deposits a consultation report.
 */
export async function aliceWorld(t: TestApp): Promise<void> {
  const reception = await t.as(RECEPTION);
  const alice: Patient = {
    resourceType: 'Patient',
    id: 'alice',
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: '280017512345610' }],
    name: [{ family: 'Martin', given: ['Alice'] }],
    birthDate: '1980-01-01',
  };
  await ok(await putJson(reception, '/fhir/Patient/alice', alice), 'register alice');
  await ok(await putJson(reception, '/fhir/Consent/open-alice', dmpCreation('open-alice', 'alice', 'active')), 'open her DMP');
  const holder = await t.as(HOLDER);
  await ok(await putJson(holder, '/fhir/Consent/access-alice', accessChoices('access-alice', 'alice', { permit: [NURSE.rpps], gp: [GP.rpps] })), 'her choices');
  const gp = await t.as(GP);
  await ok(
    await putJson(gp, '/fhir/DocumentReference/report-1', doc('report-1', 'alice', { authorRpps: GP.rpps })),
    'the GP deposits a report',
  );
}

/** Every AuditEvent stored, oldest first. */
export async function auditEvents(t: TestApp) {
  const rows = await t.store.find('AuditEvent', { filter: {}, sort: [['lastUpdated', 1]] });
  return rows.map((r) => r.resource as import('fhir/r4').AuditEvent);
}

export async function communications(t: TestApp) {
  const rows = await t.store.find('Communication', { filter: {}, sort: [['lastUpdated', 1]] });
  return rows.map((r) => r.resource as import('fhir/r4').Communication);
}

export function categoryOf(c: import('fhir/r4').Communication): string | undefined {
  return c.category?.[0]?.coding?.[0]?.code;
}
