import type { Consent, Resource } from 'fhir/r4';
import type supertest from 'supertest';
import type { TokenOptions } from '../../src/access/dev-token.js';
import { createTestApp, type StoreKind, type TestApp } from '../helpers/app.js';
import { errorCode, FHIR_JSON } from '../helpers/fhir.js';
import { HOLDER_CALLERS, HOSPITAL, RPPS, STATIC_CALLERS, type CallerName, type StaticCaller } from './callers.js';
import * as fhir from './resources.js';

/**
 * The DMP world of the HTTP access tests, seeded THROUGH THE API by the roles that may write each
 * thing (which is itself a proof of the write rules: `World.log` keeps every seeding write):
 * - alice, adult, DMP opened by reception; her choices: the physician, nurse, podiatrist,
 *   pharmacist, occupational physician and `blocked` authorised (R3.1), the hospital by FINESS
 *   (R3.2), the GP as DMP GP (R3.3), `blocked` blocked (R3.4: blocking wins);
 * - bob, adult, opens his own DMP, authorises the physician and opposes emergency access (R3.5);
 * - dan, a minor (10), his mother's RelatedPerson (PRN) recorded by reception (D35) opens his DMP
 *   (R2.3, D34) and writes his choices: the GP as DMP GP, the nurse authorised; a former guardian's
 *   period has ended (R7.5);
 * - carol authorises the nurse, who deposits a report; carol then closes her DMP (R9.1, R9.2);
 * - eve has a Patient (created by an insurer agent) and no DMP (R2.1).
 */

export type Agent = ReturnType<typeof supertest.agent>;
export type Holder = 'alice' | 'bob' | 'dan' | 'carol' | 'eve';

export interface DocSpec {
  holder: Holder;
  by: CallerName;
  options: Omit<fhir.DocOptions, 'binaryId'>;
  binary?: string;
}

const loinc = (code: string): [string, string] => [fhir.LOINC, code];
const a05 = (code: string): [string, string] => [fhir.TRE_A05, code];

/** Every document of the world, by name, in deposit order. */
export const DOCS = {
  'a-report': { holder: 'alice', by: 'physician', options: { type: loinc('11488-4') }, binary: 'bin-a-report' },
  'a-report-masked': { holder: 'alice', by: 'physician', options: { type: loinc('11490-0'), labels: ['MASQUE_PS'], authorRpps: RPPS.physician }, binary: 'bin-a-report-masked' },
  'a-psy': { holder: 'alice', by: 'physician', options: { type: loinc('68599-0') }, binary: 'bin-a-psy' },
  'a-psy-setting': { holder: 'alice', by: 'hospitalDoctor', options: { type: loinc('34112-3'), practiceSetting: fhir.PSYCHIATRY } },
  'a-lab': { holder: 'alice', by: 'physician', options: { type: loinc('11502-2') } },
  'a-lab-unreleased': { holder: 'alice', by: 'physician', options: { type: loinc('11502-2'), labels: ['INVISIBLE_PATIENT'] }, binary: 'bin-a-lab-unreleased' },
  'a-imaging': { holder: 'alice', by: 'physician', options: { type: loinc('18748-4') } },
  'a-synthesis-masked-by-nurse': { holder: 'alice', by: 'nurse', options: { type: loinc('34133-9'), labels: ['MASQUE_PS'] }, binary: 'bin-a-synthesis-masked' },
  'a-vsm': { holder: 'alice', by: 'gp', options: { type: loinc('60591-5') } },
  'a-reimbursement': { holder: 'alice', by: 'insurerFeed', options: { type: a05('REMB'), classCode: '60' } },
  'a-personal': { holder: 'alice', by: 'alice', options: { type: a05('DOCPAT01') } },
  'a-wishes': { holder: 'alice', by: 'alice', options: { type: a05('EXPPAT_3'), authorRef: 'self' } },
  'b-report': { holder: 'bob', by: 'physician', options: { type: loinc('11488-4') }, binary: 'bin-b-report' },
  'd-report': { holder: 'dan', by: 'gp', options: { type: loinc('11488-4') } },
  'd-hidden-from-reps': { holder: 'dan', by: 'gp', options: { type: loinc('11488-4'), labels: ['INVISIBLE_REPRESENTANTS_LEGAUX'] }, binary: 'bin-d-hidden' },
  'd-unreleased': { holder: 'dan', by: 'gp', options: { type: loinc('11502-2'), labels: ['INVISIBLE_PATIENT'] } },
  'd-masked': { holder: 'dan', by: 'gp', options: { type: loinc('11490-0'), labels: ['MASQUE_PS'] }, binary: 'bin-d-masked' },
  'd-psy': { holder: 'dan', by: 'gp', options: { type: loinc('68599-0') } },
  'c-report': { holder: 'carol', by: 'nurse', options: { type: loinc('11488-4') } },
} satisfies Record<string, DocSpec>;

export type DocName = keyof typeof DOCS;
export const DOC_NAMES = Object.keys(DOCS) as DocName[];
export const docsOf = (holder: Holder): DocName[] => DOC_NAMES.filter((d) => DOCS[d].holder === holder);
/** The Binary of each document that has one (D15). */
export const BINARIES = Object.fromEntries(
  DOC_NAMES.flatMap((d) => ('binary' in DOCS[d] ? [[DOCS[d].binary as string, d]] : [])),
) as Record<string, DocName>;

/** Alice's access choices (section 3). */
export const ALICE_CHOICES: fhir.Choices = {
  permit: [RPPS.physician, RPPS.nurse, RPPS.podiatrist, RPPS.pharmacist, RPPS.occupational, RPPS.blocked],
  structures: [HOSPITAL],
  gp: [RPPS.gp],
  blocked: [RPPS.blocked],
};

export interface SeedStep {
  what: string;
  by: CallerName;
  rule: string;
  status: number;
  code?: string;
}

export interface World {
  t: TestApp;
  accessControl: boolean;
  /** Server id of a named resource (patients, reps, consents, binaries, documents). */
  id(name: string): string;
  /** Name of a server id; unknown ids come back as `?<id>` so that a leak shows in a failed assertion. */
  name(id: string): string;
  ins(holder: Holder): string;
  claims(caller: CallerName): TokenOptions;
  agent(caller: CallerName): Promise<Agent>;
  /** What each named resource was created as (its stored version, when the response had a body). */
  stored: Map<string, Resource>;
  log: SeedStep[];
  close(): Promise<void>;
}

const INS_OF: Record<Holder, string> = {
  alice: fhir.ins('2800175123456'),
  bob: fhir.ins('1750599123456'),
  dan: fhir.ins('1150375123456'),
  carol: fhir.ins('2900275123456'),
  eve: fhir.ins('2850375123456'),
};

/** The id a create's Location names (`…/Type/id/_history/1`): a delegate's create has no body (R8.2). */
export function createdId(res: { headers: Record<string, string> }): string | undefined {
  return /\/([A-Za-z0-9\-.]{1,64})\/_history\/\d+$/.exec(res.headers.location ?? '')?.[1];
}

export async function postAs(agent: Agent, resource: Resource) {
  return agent.post(`/fhir/${resource.resourceType}`).set('content-type', FHIR_JSON).send(JSON.stringify(resource));
}

export async function putAs(agent: Agent, resource: Resource) {
  return agent.put(`/fhir/${resource.resourceType}/${resource.id}`).set('content-type', FHIR_JSON).send(JSON.stringify(resource));
}

/** The part of the world the write tests start from: alice, bob and eve, and a few documents. */
const SMALL_DOCS: readonly DocName[] = ['a-report', 'a-report-masked', 'a-lab-unreleased', 'a-reimbursement', 'a-personal', 'b-report'];

export interface WorldOptions {
  accessControl?: boolean;
  /** Only alice, bob (with their DMPs and choices), eve and SMALL_DOCS: for tests that write. */
  small?: boolean;
  app?: Parameters<typeof createTestApp>[0];
}

/** A fresh app on the given store kind, seeded through the API (the whole world unless `small`). */
export async function buildWorld(kind: StoreKind, options: WorldOptions = {}): Promise<World> {
  const accessControl = options.accessControl ?? true;
  const t = await createTestApp({ ...options.app, kind, accessControl });
  const ids = new Map<string, string>();
  const names = new Map<string, string>();
  const agents = new Map<CallerName, Agent>();
  const stored = new Map<string, Resource>();
  const log: SeedStep[] = [];
  const id = (name: string) => {
    const value = ids.get(name);
    if (!value) throw new Error(`the world has no resource named ${name}`);
    return value;
  };
  const claims = (caller: CallerName): TokenOptions => {
    if (caller in STATIC_CALLERS) return STATIC_CALLERS[caller as StaticCaller];
    const h = HOLDER_CALLERS[caller as keyof typeof HOLDER_CALLERS];
    return { role: h.role, fhirUser: `${h.type}/${id(h.resource)}`, expiresIn: '365d' };
  };
  const world: World = {
    t,
    accessControl,
    id,
    name: (value) => names.get(value) ?? `?${value}`,
    ins: (holder) => INS_OF[holder],
    claims,
    async agent(caller) {
      let agent = agents.get(caller);
      if (!agent) agents.set(caller, (agent = await t.as({ expiresIn: '365d', ...claims(caller) })));
      return agent;
    },
    stored,
    log,
    close: () => t.close(),
  };

  const create = async (name: string, by: CallerName, rule: string, resource: Resource) => {
    const res = await postAs(await world.agent(by), resource);
    log.push({ what: `${resource.resourceType} ${name}`, by, rule, status: res.status, ...(errorCode(res.body) ? { code: errorCode(res.body) } : {}) });
    const created = createdId(res);
    if (res.status !== 201 || !created) throw new Error(`seeding ${name} as ${by} (${rule}) failed: ${res.status} ${res.text}`);
    ids.set(name, created);
    names.set(created, name);
    stored.set(name, res.text ? (res.body as Resource) : { ...resource, id: created });
  };

  const born = { alice: '1980-04-12', bob: '1975-05-05', dan: fhir.dateBefore(10), carol: '1990-02-02', eve: '1985-03-03' };
  const full = !options.small;
  await create('alice', 'reception', 'R2.2', fhir.patient('Martin', 'Alice', INS_OF.alice, born.alice));
  await create('bob', 'physician', 'R2.2', fhir.patient('Bernard', 'Bob', INS_OF.bob, born.bob));
  await create('eve', 'insurerAgent', 'R2.2', fhir.patient('Roux', 'Eve', INS_OF.eve, born.eve));
  if (full) {
    await create('dan', 'reception', 'R2.2', fhir.patient('Durand', 'Dan', INS_OF.dan, born.dan));
    await create('carol', 'nurse', 'R2.2', fhir.patient('Petit', 'Carol', INS_OF.carol, born.carol));
    await create('dan-mother', 'reception', 'D35', fhir.representative(id('dan'), 'PRN', { start: born.dan }));
    await create('dan-former-guardian', 'gp', 'D35', fhir.representative(id('dan'), 'GUARD', { start: born.dan, end: fhir.dateBefore(1) }));
  }

  await create('alice-dmp', 'reception', 'R2.2', fhir.dmpCreation(id('alice'), `Patient/${id('alice')}`));
  await create('bob-dmp', 'bob', 'R2.2', fhir.dmpCreation(id('bob'), `Patient/${id('bob')}`));
  if (full) {
    await create('dan-dmp', 'reception', 'R2.3', fhir.dmpCreation(id('dan'), `RelatedPerson/${id('dan-mother')}`));
    await create('carol-dmp', 'insurerAgent', 'R2.2', fhir.dmpCreation(id('carol'), `Patient/${id('carol')}`));
  }

  await create('alice-choices', 'alice', 'R3.1', fhir.accessChoices(id('alice'), ALICE_CHOICES));
  await create('bob-choices', 'bob', 'R3.5', fhir.accessChoices(id('bob'), { permit: [RPPS.physician], opposed: true }));
  if (full) {
    await create('dan-choices', 'danMother', 'R7.5', fhir.accessChoices(id('dan'), { gp: [RPPS.gp], permit: [RPPS.nurse] }));
    await create('carol-choices', 'carol', 'R3.1', fhir.accessChoices(id('carol'), { permit: [RPPS.nurse] }));
  }

  const docs = full ? DOC_NAMES : SMALL_DOCS;
  for (const [binaryName, docName] of Object.entries(BINARIES)) {
    if (full) await create(binaryName, DOCS[docName].by, 'D15', fhir.binary());
  }
  for (const name of docs) {
    const spec: DocSpec = DOCS[name];
    const holderId = id(spec.holder);
    const authorRef = spec.options.authorRef === 'self' ? `Patient/${holderId}` : spec.options.authorRef;
    const doc = fhir.documentReference(holderId, { ...spec.options, ...(authorRef ? { authorRef } : {}), ...(spec.binary && full ? { binaryId: id(spec.binary) } : {}), description: name });
    const rule = spec.by === 'insurerFeed' ? 'R8.5' : spec.by === 'alice' ? 'R7.2' : spec.options.type[1] === '60591-5' ? 'R8.4' : 'R8.1';
    await create(name, spec.by, rule, doc);
  }
  if (!full) return world;
  await create('a-allergy', 'nurse', 'R4.5', fhir.allergy(id('alice')));
  await create('a-immunization-masked', 'gp', 'R5.1', fhir.immunization(id('alice'), ['MASQUE_PS']));
  await create('a-immunization-unreleased', 'nurse', 'R5.3', fhir.immunization(id('alice'), ['INVISIBLE_PATIENT']));

  // R9.1: carol closes her DMP once the nurse has deposited
  const closing = fhir.dmpClosure({ ...(stored.get('carol-dmp') as Consent), id: id('carol-dmp') });
  const res = await putAs(await world.agent('carol'), closing);
  log.push({ what: 'Consent carol-dmp closed', by: 'carol', rule: 'R9.1', status: res.status });
  if (res.status !== 200) throw new Error(`closing carol's DMP failed: ${res.status} ${res.text}`);
  return world;
}
