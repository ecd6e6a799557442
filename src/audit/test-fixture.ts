import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AuditEvent, Communication, Consent, DocumentReference, Resource } from 'fhir/r4';
import type { AccessContext } from '../access/access-context.js';
import { CONSENT_CATEGORY_SYSTEM, ROLE_CODE_SYSTEM, RPPS_SYSTEM, VISIBILITY_SYSTEM } from '../access/codes.js';
import { extractAccessFacts } from '../access/facts.js';
import { withAccessIndexes } from '../access/index-plan.js';
import { buildRow } from '../interactions/write-row.js';
import { indexPlan } from '../search/definitions.js';
import { openEmbeddedStore } from '../store/embedded-store.js';
import type { RowWrite, Store, StoredRow } from '../store/store.js';
import { withAuditIndexes } from './index-plan.js';
import { createAuditRecorder, type AuditRecorder, type AuditRecorderOptions } from './recorder.js';

/**
 * For the audit tests: a real embedded store in a temporary folder (reopenable, to prove what
 * survives a restart), rows built with `buildRow` and `extractAccessFacts` as the write path does,
 * the callers and resources of the scenarios, and readers of what the recorder committed.
 */

export const BASE = 'https://dmp.example/fhir';
export const NOW = new Date('2025-03-15T10:00:00.000Z');
export const daysAfter = (days: number, from: Date = NOW) => new Date(from.getTime() + days * 86_400_000);

export const RPPS = { gp: '10000000001', nurse: '10000000002', stranger: '10000000009', regulator: '10000000010' } as const;

const ps = (rpps: string, profession: string, specialty?: string, extra: Partial<AccessContext> = {}): AccessContext => ({
  role: 'professional',
  sub: `ps-${rpps}`,
  rpps,
  profession,
  ...(specialty ? { specialty } : {}),
  breakGlass: false,
  clientId: 'lgc-cabinet',
  ...extra,
});

export const CALLERS = {
  gp: ps(RPPS.gp, '10', 'SM26', { fhirUser: 'Practitioner/gp' }),
  nurse: ps(RPPS.nurse, '60'),
  strangerBreakGlass: ps(RPPS.stranger, '10', 'SM59', { purposeOfUse: 'ETREAT', breakGlass: true }),
  regulator: { ...ps(RPPS.regulator, '10', 'SM59'), role: 'regulator' },
  alice: { role: 'patient', sub: 'alice-sub', fhirUser: 'Patient/alice', breakGlass: false },
  danMother: { role: 'legal-representative', sub: 'dan-mother', fhirUser: 'RelatedPerson/dan-mother', breakGlass: false },
  reception: { role: 'reception', sub: 'reception-1', organization: '750000001', breakGlass: false },
} satisfies Record<string, AccessContext>;

export interface AuditTestStore {
  store: Store;
  /** Closes and opens the same folder again, as a restart would. */
  reopen(): Promise<Store>;
  close(): Promise<void>;
}

export async function openAuditTestStore(): Promise<AuditTestStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-audit-'));
  const plan = withAuditIndexes(withAccessIndexes(indexPlan()));
  const handle: AuditTestStore = {
    store: await openEmbeddedStore({ dir, indexPlan: plan }),
    async reopen() {
      await handle.store.close();
      handle.store = await openEmbeddedStore({ dir, indexPlan: plan });
      return handle.store;
    },
    async close() {
      await handle.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** The row the write path would store for a new version of `resource`. */
export function rowOf(resource: Resource, versionId = 1, at: Date = NOW, previous?: StoredRow): StoredRow {
  const row = buildRow(resource, resource.id!, versionId, at);
  row.sec = extractAccessFacts(row.resource!, previous ? { previous: previous.sec } : {});
  return row;
}

export const newWrite = (row: StoredRow): RowWrite => ({ row, expectedVersion: row.versionId - 1 });

export async function put(store: Store, resource: Resource, at: Date = NOW): Promise<StoredRow> {
  const current = await store.read(resource.resourceType, resource.id!);
  const row = rowOf(resource, (current?.versionId ?? 0) + 1, at, current);
  await store.commit([{ row, expectedVersion: current?.versionId ?? 0 }]);
  return row;
}

export function recorderFor(store: Store, options: Partial<AuditRecorderOptions> = {}): AuditRecorder {
  return createAuditRecorder({
    store,
    clock: () => NOW,
    baseUrl: BASE,
    client: { address: '192.0.2.10', clientId: 'lgc-cabinet' },
    interaction: 'read',
    ...options,
  });
}

export async function auditEvents(store: Store): Promise<AuditEvent[]> {
  return (await store.find('AuditEvent', { filter: {} })).map((r) => r.resource as AuditEvent);
}

export async function communications(store: Store): Promise<Communication[]> {
  return (await store.find('Communication', { filter: {} })).map((r) => r.resource as Communication);
}

export const categoryOf = (c: Communication) => c.category?.[0]?.coding?.[0]?.code;

// ---- resources (DMP-RULES section 12 shapes)

export const patient = (id: string, birthDate = '1980-04-02') => ({ resourceType: 'Patient' as const, id, birthDate });

export function dmpCreation(id: string, holder: string, status: 'active' | 'inactive' = 'active'): Consent {
  return {
    resourceType: 'Consent',
    id,
    status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-creation' }] }],
    patient: { reference: `Patient/${holder}` },
    performer: [{ reference: `Patient/${holder}` }],
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
  };
}

export const PSYCHIATRIC_TITLE = 'Compte rendu de consultation psychiatrique';
export const PSYCHIATRIC_TYPE = '68599-0';

export function doc(id: string, holder: string, labels: string[] = []): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: PSYCHIATRIC_TYPE, display: PSYCHIATRIC_TITLE }] },
    subject: { reference: `Patient/${holder}` },
    description: PSYCHIATRIC_TITLE,
    author: [{ identifier: { system: RPPS_SYSTEM, value: RPPS.gp } }],
    ...(labels.length ? { securityLabel: labels.map((code) => ({ coding: [{ system: VISIBILITY_SYSTEM, code }] })) } : {}),
    content: [{ attachment: { contentType: 'application/pdf', title: PSYCHIATRIC_TITLE } }],
  };
}

export function representative(id: string, holder: string) {
  return {
    resourceType: 'RelatedPerson' as const,
    id,
    patient: { reference: `Patient/${holder}` },
    relationship: [{ coding: [{ system: ROLE_CODE_SYSTEM, code: 'PRN' }] }],
  };
}
