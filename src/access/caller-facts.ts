import type { Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { isMinorOn, parisDay, withinPeriod } from './calendar.js';
import { DMP_ACCESS, DMP_CREATION, REP_RELATIONSHIPS } from './codes.js';
import type { SecFacts } from './facts.js';
import { isProfessionalRole } from './kinds.js';

/**
 * What the store says about the caller right now (D30: consent, DMP state and representation are
 * read on every request, never cached), found through ordinary `store.find` queries on `sec`
 * fields. Holders are `Patient/<id>` references. Interceptors only read these facts. Read for a
 * decision bounded to some holders (`CallerFactsRequest.within`), every list covers those holders
 * only, which decides their rows exactly as the full lists would.
 */
export interface CallerFacts {
  /** Holders the request targets, when known (read: the row's holder; search: patient/subject values). */
  targets?: readonly string[];
  /** R3.1: holders whose active dmp-access Consent authorises the caller's RPPS. */
  authorisedPs: string[];
  /** R3.2: holders whose dmp-access Consent authorises the structure of the token's `organization`. */
  authorisedStructure: string[];
  /** R3.3: holders who named the caller a DMP GP. */
  gp: string[];
  /** R3.4: holders who blocked the caller. */
  blocked: string[];
  /** R3.5: targeted holders who oppose emergency access. */
  opposed: string[];
  /** R6.1/R6.2: targeted holders the caller reaches only through break-glass or regulator access. */
  emergency: string[];
  /** Holders considered (the above and the targets) whose DMP is open (R2.1)... */
  open: string[];
  /** ...or was opened and is now closed (R9.2). */
  closed: string[];
  /** A patient token's own Patient (R7.1). */
  self?: string;
  /** A legal representative's minors, checked today (R7.5, D34). */
  represented: string[];
}

export const NO_CALLER_FACTS: CallerFacts = {
  authorisedPs: [],
  authorisedStructure: [],
  gp: [],
  blocked: [],
  opposed: [],
  emergency: [],
  open: [],
  closed: [],
  represented: [],
};

export interface CallerFactsRequest {
  /** Holders the request targets, when known. */
  holders?: readonly string[];
  /**
   * Every row the decision applies to belongs to these holders (a read of one row, a write, a
   * search that reaches no other holder): only their Consents are read, through `sec.patient`,
   * instead of every Consent naming the caller. `holders` are always among them.
   */
  within?: readonly string[];
  now: Date;
}

const unique = (values: Iterable<string>): string[] => [...new Set(values)];
const factsOf = (row: StoredRow): SecFacts => row.sec as SecFacts;
const holdersOf = (row: StoredRow): string[] => {
  const patient = factsOf(row).patient;
  return patient === undefined ? [] : Array.isArray(patient) ? patient : [patient];
};

/** Holders reached by consent, GP status or emergency access, minus those who blocked the caller (R3.4 wins). */
export function reachableHolders(facts: CallerFacts): string[] {
  const blocked = new Set(facts.blocked);
  return unique([...facts.authorisedPs, ...facts.authorisedStructure, ...facts.gp, ...facts.emergency]).filter((h) => !blocked.has(h));
}

/** Whether the caller is a professional using break-glass or a regulator (R6.1, R6.2). */
export function mayUseEmergencyAccess(caller: AccessContext): boolean {
  return (caller.role === 'professional' && caller.breakGlass) || caller.role === 'regulator';
}

/** The caller's standing with the holders of `rows` (active dmp-access Consents). */
function standing(rows: readonly StoredRow[], rpps: string, organization: string | undefined): Partial<CallerFacts> {
  const pick = (has: (f: SecFacts) => boolean | undefined) => unique(rows.filter((r) => has(factsOf(r))).flatMap(holdersOf));
  return {
    authorisedPs: pick((f) => f.permitRpps?.includes(rpps)),
    authorisedStructure: organization ? pick((f) => f.permitFiness?.includes(organization)) : [],
    gp: pick((f) => f.gpRpps?.includes(rpps)),
    blocked: pick((f) => f.blockedRpps?.includes(rpps)),
  };
}

/** The active dmp-access Consents of these holders (found through the `sec.patient` index). */
const accessChoices = (store: Store, holders: readonly string[]): Promise<StoredRow[]> =>
  store.find('Consent', { filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', 'sec.patient': { $in: [...holders] } } });

const opposedAmong = (choices: readonly StoredRow[]): string[] => unique(choices.filter((r) => factsOf(r).emergencyOpposed).flatMap(holdersOf));

/**
 * The DMP Consents (access choices and DMP creation) of the holders a decision is bounded to, in
 * one query through the `sec.patient` index: a few rows, not every Consent naming the caller.
 */
function holderConsents(store: Store, holders: readonly string[]): Promise<StoredRow[]> {
  if (holders.length === 0) return Promise.resolve([]);
  return store.find('Consent', { filter: { 'sec.category': { $in: [DMP_ACCESS, DMP_CREATION] }, 'sec.patient': { $in: [...holders] } } });
}

/** With `consents` (holderConsents), the caller's standing with those holders only; else with every holder naming the caller. */
async function professionalFacts(
  store: Store,
  caller: AccessContext,
  targets: readonly string[],
  consents?: readonly StoredRow[],
): Promise<Partial<CallerFacts>> {
  const { rpps, organization } = caller;
  if (!rpps) return {};
  const emergency = mayUseEmergencyAccess(caller) && targets.length > 0;
  if (consents) {
    const choices = consents.filter((r) => factsOf(r).category === DMP_ACCESS && factsOf(r).status === 'active');
    const facts = standing(choices, rpps, organization);
    if (emergency) facts.opposed = opposedAmong(choices.filter((r) => holdersOf(r).some((h) => targets.includes(h))));
    return facts;
  }
  const branches: Array<Record<string, string>> = [{ 'sec.permitRpps': rpps }, { 'sec.gpRpps': rpps }, { 'sec.blockedRpps': rpps }];
  if (organization) branches.push({ 'sec.permitFiness': organization });
  const rows = await store.find('Consent', { filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', $or: branches } });
  const facts = standing(rows, rpps, organization);
  if (emergency) facts.opposed = opposedAmong(await accessChoices(store, targets));
  return facts;
}

/** The minor a rep's token names through its RelatedPerson, if the representation holds today. */
async function representedMinors(store: Store, caller: AccessContext, now: Date): Promise<string[]> {
  const id = caller.fhirUser?.startsWith('RelatedPerson/') ? caller.fhirUser.slice('RelatedPerson/'.length) : undefined;
  if (!id) return [];
  const person = await store.read('RelatedPerson', id);
  if (!person || person.deleted) return [];
  const facts = factsOf(person);
  const holder = typeof facts.patient === 'string' ? facts.patient : undefined;
  if (!holder || facts.inactive) return [];
  if (!facts.relationships?.some((r) => REP_RELATIONSHIPS.includes(r))) return [];
  if (!withinPeriod(facts.periodStart, facts.periodEnd, now)) return [];
  const patient = await store.read('Patient', holder.slice('Patient/'.length));
  if (!patient || patient.deleted) return [];
  return isMinorOn(factsOf(patient).birthDate, parisDay(now)) ? [holder] : [];
}

/** Which of `holders` have an open DMP (an active dmp-creation Consent) and which a closed one. */
export async function dmpStates(store: Store, holders: readonly string[]): Promise<{ open: string[]; closed: string[] }> {
  if (holders.length === 0) return { open: [], closed: [] };
  const rows = await store.find('Consent', { filter: { 'sec.category': DMP_CREATION, 'sec.patient': { $in: [...holders] } } });
  return statesOf(rows, holders);
}

/** `dmpStates` from dmp-creation Consents already read (rows of other categories or holders are ignored). */
function statesOf(rows: readonly StoredRow[], holders: readonly string[]): { open: string[]; closed: string[] } {
  const asked = new Set(holders);
  const creations = rows.filter((r) => factsOf(r).category === DMP_CREATION);
  const of = (status: string) => unique(creations.filter((r) => factsOf(r).status === status).flatMap(holdersOf)).filter((h) => asked.has(h));
  const open = of('active');
  return { open, closed: of('inactive').filter((h) => !open.includes(h)) };
}

export async function loadCallerFacts(store: Store, caller: AccessContext, request: CallerFactsRequest): Promise<CallerFacts> {
  const targets = unique(request.holders ?? []);
  const facts: CallerFacts = { ...NO_CALLER_FACTS, ...(request.holders ? { targets } : {}) };
  const professional = isProfessionalRole(caller.role) && caller.rpps !== undefined;
  // bounded (a professional's own holders are all in `within`): one query gives standing and DMP states
  const consents = professional && request.within ? await holderConsents(store, unique([...request.within, ...targets])) : undefined;
  if (isProfessionalRole(caller.role)) Object.assign(facts, await professionalFacts(store, caller, targets, consents));
  if (caller.role === 'patient' && caller.fhirUser?.startsWith('Patient/')) facts.self = caller.fhirUser;
  if (caller.role === 'legal-representative') facts.represented = await representedMinors(store, caller, request.now);

  const consented = [...facts.authorisedPs, ...facts.authorisedStructure, ...facts.gp];
  const own = facts.self ? [facts.self] : facts.represented;
  const considered = unique([...consented, ...targets, ...own]);
  const { open, closed } = consents ? statesOf(consents, considered) : await dmpStates(store, considered);
  facts.open = open;
  facts.closed = closed;
  if (mayUseEmergencyAccess(caller)) {
    const excluded = new Set([...consented, ...facts.blocked, ...facts.opposed]);
    facts.emergency = targets.filter((h) => open.includes(h) && !excluded.has(h));
  }
  return facts;
}
