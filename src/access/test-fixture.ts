import { accessChoices as sectionTwelveChoices } from '../lifecycle/demo-resources.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Binary, Consent, DocumentReference, Patient, RelatedPerson, Resource } from 'fhir/r4';
import { buildRow } from '../interactions/write-row.js';
import { indexPlan } from '../search/definitions.js';
import { and } from '../search/narrowed.js';
import { openEmbeddedStore } from '../store/embedded-store.js';
import type { Filter, Store } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import {
  CONSENT_CATEGORY_SYSTEM,
  FINESS_SYSTEM,
  ROLE_CODE_SYSTEM,
  RPPS_SYSTEM,
  VISIBILITY_SYSTEM,
} from './codes.js';
import { extractAccessFacts } from './facts.js';
import { withAccessIndexes } from './index-plan.js';
import type { Operation } from './interceptor.js';
import type { AccessPipeline } from './pipeline.js';

/**
 * For the access tests: a real embedded store in a temporary folder, rows built with `buildRow`
 * and `extractAccessFacts` exactly as the write path will, resource builders for the DMP shapes of
 * DMP-RULES section 12, the callers of the scenarios, and `visible`, which applies a decision's
 * `narrow` through `store.find` and `store.count` exactly as the search engine does.
 */

export const NOW = new Date('2025-03-15T10:00:00.000Z');
export const daysBefore = (days: number, from: Date = NOW) => new Date(from.getTime() - days * 86_400_000);

export const TRE_A05 = 'https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire';
export const TRE_A03 = 'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument';
export const SNOMED = 'http://snomed.info/sct';
export const PSYCHIATRY = '394587001';

// RPPS numbers and one FINESS of the scenarios
export const RPPS = {
  gp: '10000000001',
  nurse: '10000000002',
  podiatrist: '10000000003',
  physio: '10000000004',
  pharmacist: '10000000005',
  hospitalDoctor: '10000000006',
  author: '10000000007',
  blocked: '10000000008',
  stranger: '10000000009',
  regulator: '10000000010',
  occupational: '10000000011',
  psychiatricNurse: '10000000012',
  hospitalNurse: '10000000013',
} as const;
export const HOSPITAL = '750000001';

const ps = (rpps: string, profession: string, specialty?: string, extra: Partial<AccessContext> = {}): AccessContext => ({
  role: 'professional',
  sub: `ps-${rpps}`,
  fhirUser: `Practitioner/${rpps}`,
  rpps,
  profession,
  ...(specialty ? { specialty } : {}),
  breakGlass: false,
  ...extra,
});

export const CALLERS = {
  gp: ps(RPPS.gp, '10', 'SM26'),
  nurse: ps(RPPS.nurse, '60'),
  podiatrist: ps(RPPS.podiatrist, '80'),
  physio: ps(RPPS.physio, '70'),
  pharmacist: ps(RPPS.pharmacist, '21', 'SM21'),
  hospitalDoctor: ps(RPPS.hospitalDoctor, '10', 'SM44', { organization: HOSPITAL }),
  hospitalNurse: ps(RPPS.hospitalNurse, '60', undefined, { organization: HOSPITAL }),
  author: ps(RPPS.author, '10', 'SM26'),
  authorBreakGlass: ps(RPPS.author, '10', 'SM26', { purposeOfUse: 'ETREAT', breakGlass: true }),
  blocked: ps(RPPS.blocked, '10', 'SM26'),
  blockedBreakGlass: ps(RPPS.blocked, '10', 'SM26', { purposeOfUse: 'ETREAT', breakGlass: true }),
  stranger: ps(RPPS.stranger, '10', 'SM59'),
  strangerBreakGlass: ps(RPPS.stranger, '10', 'SM59', { purposeOfUse: 'BTG', breakGlass: true }),
  regulator: { ...ps(RPPS.regulator, '10', 'SM59'), role: 'regulator' },
  occupational: ps(RPPS.occupational, '10', 'SM25'),
  psychiatricNurse: ps(RPPS.psychiatricNurse, '69'),
  delegate: { ...ps(RPPS.gp, '10', 'SM26'), role: 'delegate', sub: 'delegate-of-gp', fhirUser: undefined },
  alice: { role: 'patient', sub: 'alice', fhirUser: 'Patient/alice', breakGlass: false },
  danMother: { role: 'legal-representative', sub: 'dan-mother', fhirUser: 'RelatedPerson/dan-mother', breakGlass: false },
  danFormerGuardian: { role: 'legal-representative', sub: 'dan-guardian', fhirUser: 'RelatedPerson/dan-guardian', breakGlass: false },
  fayFather: { role: 'legal-representative', sub: 'fay-father', fhirUser: 'RelatedPerson/fay-father', breakGlass: false },
  reception: { role: 'reception', sub: 'reception-1', organization: HOSPITAL, breakGlass: false },
  insurerAgent: { role: 'insurer-agent', sub: 'cpam-agent', breakGlass: false },
  insurerFeed: { role: 'insurer-feed', sub: 'cnam-feed', fhirUser: 'Device/cnam-feed', breakGlass: false },
  admin: { role: 'admin', sub: 'admin', breakGlass: false },
} satisfies Record<string, AccessContext>;

export type CallerName = keyof typeof CALLERS;

// ---- resources (DMP-RULES section 12 shapes)

export const patient = (id: string, birthDate: string): Patient => ({ resourceType: 'Patient', id, birthDate });

export function dmpCreation(id: string, holder: string, status: 'active' | 'inactive', performer = `Patient/${holder}`): Consent {
  return {
    resourceType: 'Consent',
    id,
    status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: 'dmp-creation' }] }],
    patient: { reference: `Patient/${holder}` },
    performer: [{ reference: performer }],
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
  };
}

export interface Choices {
  permit?: string[];
  structures?: string[];
  gp?: string[];
  blocked?: string[];
  opposed?: boolean;
}

/** The section-12 access choices, built by the same function as the demo data (one copy of the shape). */
export function accessChoices(id: string, holder: string, choices: Choices, status: Consent['status'] = 'active'): Consent {
  const { dateTime: _dateTime, ...consent } = sectionTwelveChoices(id, holder, choices, '');
  return { ...consent, status };
}

export interface DocOptions {
  type?: [system: string, code: string];
  labels?: string[];
  authorRpps?: string;
  authorRef?: string;
  authorFiness?: string;
  practiceSetting?: string;
  class?: string;
  binary?: string;
  description?: string;
}

export function doc(id: string, holder: string, options: DocOptions = {}): DocumentReference {
  const [system, code] = options.type ?? ['http://loinc.org', '11488-4'];
  const author = [
    ...(options.authorRpps ? [{ identifier: { system: RPPS_SYSTEM, value: options.authorRpps } }] : []),
    ...(options.authorRef ? [{ reference: options.authorRef }] : []),
    ...(options.authorFiness ? [{ identifier: { system: FINESS_SYSTEM, value: options.authorFiness } }] : []),
  ];
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    type: { coding: [{ system, code }] },
    ...(options.class ? { category: [{ coding: [{ system: TRE_A03, code: options.class }] }] } : {}),
    subject: { reference: `Patient/${holder}` },
    ...(author.length ? { author } : {}),
    ...(options.description ? { description: options.description } : {}),
    ...(options.labels?.length ? { securityLabel: options.labels.map((c) => ({ coding: [{ system: VISIBILITY_SYSTEM, code: c }] })) } : {}),
    ...(options.practiceSetting ? { context: { practiceSetting: { coding: [{ system: SNOMED, code: options.practiceSetting }] } } } : {}),
    content: [{ attachment: { contentType: 'application/pdf', ...(options.binary ? { url: `Binary/${options.binary}` } : {}) } }],
  };
}

export function relatedPerson(id: string, holder: string, relationship: string, period?: { start?: string; end?: string }): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    id,
    patient: { reference: `Patient/${holder}` },
    relationship: [{ coding: [{ system: ROLE_CODE_SYSTEM, code: relationship }] }],
    ...(period ? { period } : {}),
  };
}

export const binary = (id: string, securityContext?: string): Binary => ({
  resourceType: 'Binary',
  id,
  contentType: 'application/pdf',
  data: 'JVBERi0=',
  ...(securityContext ? { securityContext: { reference: securityContext } } : {}),
});

// ---- the store

export interface Seed {
  resource: Resource;
  /** When it was stored (deposit date); NOW by default. */
  at?: Date;
  writer?: AccessContext;
}

export interface AccessTestStore {
  store: Store;
  put(seeds: Seed[]): Promise<void>;
  close(): Promise<void>;
}

export async function openAccessTestStore(seeds: Seed[]): Promise<AccessTestStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-access-'));
  const store = await openEmbeddedStore({ dir, indexPlan: withAccessIndexes(indexPlan()) });
  const put = async (list: Seed[]) => {
    const writes = [];
    for (const { resource, at = NOW, writer } of list) {
      const current = await store.read(resource.resourceType, resource.id!);
      const row = buildRow(resource, resource.id!, (current?.versionId ?? 0) + 1, at);
      row.sec = extractAccessFacts(row.resource!, { previous: current?.sec, writer });
      writes.push({ row, expectedVersion: current?.versionId ?? 0 });
    }
    await store.commit(writes);
  };
  await put(seeds);
  return {
    store,
    put,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Seen = { status: number; rule?: string } | { ids: string[]; count: number };

/**
 * What `caller` finds searching `type` (optionally naming holders, optionally with search
 * criteria): the verdict's status when refused, otherwise the ids and the count the store returns
 * with the decision's `narrow` ANDed in, exactly as the search engine applies it.
 */
export async function visible(
  pipeline: AccessPipeline,
  store: Store,
  caller: AccessContext,
  type: string,
  options: { holders?: string[]; criteria?: Filter; byIdentifier?: boolean } = {},
): Promise<Seen> {
  const op: Operation = { interaction: 'search', type, ...(options.holders ? { holders: options.holders } : {}), ...(options.byIdentifier ? { byIdentifier: true } : {}) };
  const decision = await pipeline.decide(store, caller, op);
  if (decision.verdict.kind === 'reject') return { status: decision.verdict.outcome.status, rule: decision.verdict.outcome.rule };
  const filter = and(options.criteria, decision.narrow(type));
  const rows = await store.find(type, { filter, sort: [['id', 1]] });
  return { ids: rows.map((r) => r.id), count: await store.count(type, filter) };
}

/** Read by id: the status (200, 403, 404, 409) and the deciding rule. */
export async function readById(pipeline: AccessPipeline, store: Store, caller: AccessContext, type: string, id: string) {
  const row = await store.read(type, id);
  if (!row) throw new Error(`fixture has no ${type}/${id}`);
  const decision = await pipeline.authorizeRead(store, caller, row);
  return decision.verdict.kind === 'reject' ? { status: decision.verdict.outcome.status, rule: decision.verdict.outcome.rule } : { status: 200 };
}
