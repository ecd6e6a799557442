import type { Store, StoredRow } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { isMinorOn, parisDay, withinPeriod } from './calendar.js';
import { DMP_ACCESS, DMP_CREATION, REP_RELATIONSHIPS } from './codes.js';
import type { SecFacts } from './facts.js';
import { isProfessionalRole } from './kinds.js';

/**
 * What the store says about the caller right now (D30: consent, DMP state and representation are
 * read on every request, never cached), found through ordinary `store.find` queries on `sec`
 * fields. Holders are `Patient/<id>` references. Interceptors only read these facts.
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

async function professionalFacts(store: Store, caller: AccessContext, targets: readonly string[]): Promise<Partial<CallerFacts>> {
  const { rpps, organization } = caller;
  if (!rpps) return {};
  const branches: Array<Record<string, string>> = [{ 'sec.permitRpps': rpps }, { 'sec.gpRpps': rpps }, { 'sec.blockedRpps': rpps }];
  if (organization) branches.push({ 'sec.permitFiness': organization });
  const rows = await store.find('Consent', { filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', $or: branches } });
  const pick = (has: (f: SecFacts) => boolean | undefined) => unique(rows.filter((r) => has(factsOf(r))).flatMap(holdersOf));
  const facts: Partial<CallerFacts> = {
    authorisedPs: pick((f) => f.permitRpps?.includes(rpps)),
    authorisedStructure: organization ? pick((f) => f.permitFiness?.includes(organization)) : [],
    gp: pick((f) => f.gpRpps?.includes(rpps)),
    blocked: pick((f) => f.blockedRpps?.includes(rpps)),
  };
  if (mayUseEmergencyAccess(caller) && targets.length > 0) {
    const choices = await store.find('Consent', {
      filter: { 'sec.category': DMP_ACCESS, 'sec.status': 'active', 'sec.patient': { $in: [...targets] } },
    });
    facts.opposed = unique(choices.filter((r) => factsOf(r).emergencyOpposed).flatMap(holdersOf));
  }
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
  const open = unique(rows.filter((r) => factsOf(r).status === 'active').flatMap(holdersOf));
  const closed = unique(rows.filter((r) => factsOf(r).status === 'inactive').flatMap(holdersOf)).filter((h) => !open.includes(h));
  return { open, closed };
}

export async function loadCallerFacts(store: Store, caller: AccessContext, request: CallerFactsRequest): Promise<CallerFacts> {
  const targets = unique(request.holders ?? []);
  const facts: CallerFacts = { ...NO_CALLER_FACTS, ...(request.holders ? { targets } : {}) };
  if (isProfessionalRole(caller.role)) Object.assign(facts, await professionalFacts(store, caller, targets));
  if (caller.role === 'patient' && caller.fhirUser?.startsWith('Patient/')) facts.self = caller.fhirUser;
  if (caller.role === 'legal-representative') facts.represented = await representedMinors(store, caller, request.now);

  const consented = [...facts.authorisedPs, ...facts.authorisedStructure, ...facts.gp];
  const own = facts.self ? [facts.self] : facts.represented;
  const { open, closed } = await dmpStates(store, unique([...consented, ...targets, ...own]));
  facts.open = open;
  facts.closed = closed;
  if (mayUseEmergencyAccess(caller)) {
    const excluded = new Set([...consented, ...facts.blocked, ...facts.opposed]);
    facts.emergency = targets.filter((h) => open.includes(h) && !excluded.has(h));
  }
  return facts;
}
