import { createHash } from 'node:crypto';
import type { Communication } from 'fhir/r4';
import { NOTIFICATION_SYSTEM, PROFESSION_LABEL, type NotificationKind } from './codes.js';

/**
 * A notification of R10.2 as DMP-RULES.md section 12 writes it: a completed `Communication` to the
 * holder (and the rep when there is one), its category, when it was sent, a French text and the
 * AuditEvent it is about. The text names no document, type, title or author (R5.3, R5.5).
 */

export interface NotificationFacts {
  kind: NotificationKind;
  /** `Patient/<id>`. */
  holder: string;
  /** Reps' `RelatedPerson/<id>` who receive it too. */
  reps?: readonly string[];
  /** The AuditEvent of the request (or of the scheduled job) that caused it. */
  auditEventId: string;
  sent: Date;
  /** first-access: the professional, told to the holder as the trace already does. */
  professional?: { rpps?: string; profession?: string };
}

const PARIS = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });

function whoText(professional: NotificationFacts['professional']): string {
  const label = professional?.profession ? PROFESSION_LABEL[professional.profession] : undefined;
  const details = [label, professional?.rpps ? `RPPS ${professional.rpps}` : undefined].filter(Boolean).join(', ');
  return details ? `Un professionnel de santé (${details})` : 'Un professionnel de santé';
}

/** The French text of each notification. */
export function notificationText(facts: NotificationFacts): string {
  const when = PARIS.format(facts.sent);
  const history = "Vous pouvez consulter le détail dans l'historique des accès de votre DMP.";
  switch (facts.kind) {
    case 'dmp-opened':
      return `Votre Dossier Médical Partagé (DMP) a été ouvert le ${when}. ${history}`;
    case 'first-access':
      return `${whoText(facts.professional)} a accédé pour la première fois à votre DMP le ${when}. ${history}`;
    case 'break-glass':
      return `Un professionnel de santé a accédé à votre DMP en mode bris de glace (situation d'urgence) le ${when}. ${history}`;
    case 'regulator-access':
      return `Un médecin régulateur du SAMU-Centre 15 a accédé à votre DMP le ${when}. ${history}`;
    case 'invisible-unreleased':
      return (
        'Un document a été ajouté à votre DMP il y a plus de deux semaines ; il vous sera présenté lors ' +
        "d'une consultation. Nous vous invitons à prendre contact avec un professionnel de santé."
      );
  }
}

export function buildCommunication(facts: NotificationFacts): Communication {
  const recipients = [facts.holder, ...(facts.reps ?? [])];
  return {
    resourceType: 'Communication',
    status: 'completed',
    category: [{ coding: [{ system: NOTIFICATION_SYSTEM, code: facts.kind }] }],
    subject: { reference: facts.holder },
    recipient: [...new Set(recipients)].map((reference) => ({ reference })),
    about: [{ reference: `AuditEvent/${facts.auditEventId}` }],
    sent: facts.sent.toISOString(),
    payload: [{ contentString: notificationText(facts) }],
  };
}

/**
 * Ids of notifications sent once only, derived from what makes them unique, so the store itself
 * refuses a second one (a new row expected at version 0 conflicts), across requests and nodes.
 */
function onceId(prefix: string, ...parts: string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;
}

/** R10.2: once per professional (RPPS) per holder. */
export function firstAccessId(holder: string, rpps: string): string {
  return onceId('fa', holder, rpps);
}

/** R5.3: once per document. */
export function invisibleUnreleasedId(documentId: string): string {
  return onceId('iu', documentId);
}
