import { ACCESS_MODE_SYSTEM, PROFESSION_SYSTEM, PROFESSIONS, ROLES, RPPS_SYSTEM, SPECIALTIES, SPECIALTY_SYSTEM } from '../fhir/codes.js';
import type { PractitionerInfo } from '../fhir/practitioners.js';

/** One line of the access history, in French, from an AuditEvent (DMP-RULES section 12 "Trace"). */
export interface AccessEntry {
  id: string;
  when: string;
  who: string;
  /** The actor's own reference or RPPS, to tell the holder's own actions apart. */
  actorKey: string;
  profession: string;
  action: string;
  what: string[];
  mode: 'normal' | 'bris_de_glace' | 'centre_15';
  refused: boolean;
  rule?: string;
}

const ACTIONS: Record<string, string> = {
  read: 'a consulté', vread: 'a consulté une version de', 'search-type': 'a recherché', 'search-system': 'a recherché',
  create: 'a déposé', update: 'a enregistré', patch: 'a modifié', delete: 'a supprimé', 'history-instance': 'a consulté l’historique de',
  'history-type': 'a consulté l’historique de', transaction: 'a déposé', batch: 'a envoyé', operation: 'a exécuté une opération sur',
};

/** What an entity is, when the holder cannot see its title (R5.5: a hidden document is named by nothing else). */
const TYPES: Record<string, string> = {
  DocumentReference: 'un document', Binary: 'le contenu d’un document', Patient: 'le dossier', Consent: 'un consentement',
  AuditEvent: 'l’historique des accès', Communication: 'une notification', RelatedPerson: 'un proche', AllergyIntolerance: 'une allergie',
  Immunization: 'une vaccination', List: 'une liste', Practitioner: 'l’annuaire', Organization: 'l’annuaire',
};

function codeIn(concepts: Array<fhir4.CodeableConcept> | undefined, system: string): string | undefined {
  return concepts?.flatMap((c) => c.coding ?? []).find((c) => c.system === system)?.code;
}

export function accessEntry(event: fhir4.AuditEvent, titles: Map<string, string>, directory: Map<string, PractitionerInfo>): AccessEntry {
  const actor = event.agent?.find((a) => a.requestor) ?? event.agent?.[0];
  const rpps = actor?.who?.identifier?.system === RPPS_SYSTEM ? actor.who.identifier.value : undefined;
  const role = codeIn(actor?.role, 'https://dmp-fhir-server.example/CodeSystem/dmp-role');
  const professionCode = codeIn(actor?.role, PROFESSION_SYSTEM);
  const specialtyCode = codeIn(actor?.role, SPECIALTY_SYSTEM);
  const known = rpps ? directory.get(rpps) : undefined;
  const reference = actor?.who?.reference;
  const who = known?.name ?? (rpps ? `RPPS ${rpps}` : reference?.startsWith('Patient/') ? 'Le titulaire' : reference?.startsWith('RelatedPerson/') ? 'Un représentant légal' : (actor?.who?.display ?? actor?.altId ?? 'Inconnu'));
  const profession = [professionCode ? PROFESSIONS[professionCode] ?? `profession ${professionCode}` : role ? ROLES[role] ?? role : undefined, specialtyCode ? SPECIALTIES[specialtyCode] : undefined]
    .filter(Boolean)
    .join(', ');
  const subtype = event.subtype?.[0]?.code ?? '';
  const what = (event.entity ?? [])
    .map((e) => e.what?.reference)
    .filter((r): r is string => Boolean(r) && !r!.startsWith('Patient/'))
    .map((r) => {
      const [type, id] = r.split('/');
      const title = type === 'DocumentReference' ? titles.get(id ?? '') : undefined;
      return title ? `« ${title} »` : (TYPES[type ?? ''] ?? `une ressource ${type}`);
    });
  const mode = codeIn(event.purposeOfEvent, ACCESS_MODE_SYSTEM) as AccessEntry['mode'] | undefined;
  return {
    id: event.id ?? '',
    when: event.recorded,
    who,
    actorKey: reference ?? rpps ?? actor?.altId ?? '',
    profession,
    action: ACTIONS[subtype] ?? subtype,
    what: [...new Set(what)],
    mode: mode ?? 'normal',
    refused: event.outcome !== '0',
    ...(event.outcomeDesc ? { rule: event.outcomeDesc } : {}),
  };
}

/** Accesses per month (YYYY-MM), oldest first. */
export function perMonth(entries: AccessEntry[]): Array<{ month: string; count: number; emergency: number }> {
  const months = new Map<string, { count: number; emergency: number }>();
  for (const entry of entries) {
    // the month on France's calendar ('sv-SE' writes dates as YYYY-MM-DD)
    const month = new Date(entry.when).toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' }).slice(0, 7);
    const row = months.get(month) ?? { count: 0, emergency: 0 };
    row.count += 1;
    if (entry.mode !== 'normal') row.emergency += 1;
    months.set(month, row);
  }
  return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, row]) => ({ month, ...row }));
}
