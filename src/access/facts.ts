import type {
  AuditEvent,
  Binary,
  Coding,
  Consent,
  DocumentReference,
  Patient,
  Reference,
  RelatedPerson,
  Resource,
} from 'fhir/r4';
import { canonicalSystem } from '../search/normalise.js';
import type { AccessFacts } from '../store/store.js';
import type { AccessContext } from './access-context.js';
import { callerKey } from './caller-key.js';
import { ROLE_CODE_SYSTEM, VISIBILITY_LABELS, VISIBILITY_SYSTEM } from './codes.js';
import { consentFacts } from './consent-facts.js';
import { documentFacts } from './document-facts.js';
import { codesIn, codingsOf, distinct, idOf, referenceTo, rppsOf } from './fhir-values.js';
import { loadAccessRules, type AccessRules } from './rules.js';

/**
 * The access facts of one resource version, computed once at write time and stored as the row's
 * `sec` (ARCHITECTURE.md "Stored document shape"): access filters are predicates on these, so no
 * rule parses a resource at query time. Values are strings or lists of strings wherever a filter
 * compares them, so both stores can index them (see index-plan.ts); booleans are only read back.
 */
export type SecFacts = {
  /** The holder (`Patient/<id>`); a list for an AuditEvent, which may name several. */
  patient?: string | string[];
  /** R4.1 family of clinical data (DocumentReference, AllergyIntolerance, Immunization, RelatedPerson). */
  family?: string;
  /** TRE_A07 visibility codes (R5.1, R5.3, R5.4), from `securityLabel` and `meta.security`. */
  labels?: string[];
  /** DocumentReference types as `system|code` (canonical system): R8.4 reads the VSM from it. */
  types?: string[];
  /** R8.1, R8.3, R5.1: RPPS numbers and FINESS numbers of the authors. */
  authorRpps?: string[];
  authorFiness?: string[];
  /** FINESS of the structure the depositing professional acted for (R8.3). */
  depositFiness?: string;
  /** Authors referenced as `Patient/<id>` or `RelatedPerson/<id>` (the holder's personal space, R7.2). */
  authorRefs?: string[];
  /** Authored by the holder or a rep (R7.2 personal space; such a document is theirs to change). */
  personal?: boolean;
  /** When the resource was first stored (ISO instant, UTC): R5.3 releases one month after it. */
  deposited?: string;
  /** Reimbursement data (R8.5, R8.6: never masked). */
  reimbursement?: boolean;
  /** Ids of the Binaries a DocumentReference points to (`content.attachment.url`, D15). */
  binaries?: string[];
  /** Ids of the DocumentReferences this one replaces (`relatesTo.code = replaces`, R8.3). */
  replaces?: string[];
  /** Consent: `dmp-creation` or `dmp-access` (our consent-category code system). */
  category?: string;
  status?: string;
  permitRpps?: string[];
  permitFiness?: string[];
  gpRpps?: string[];
  blockedRpps?: string[];
  emergencyOpposed?: boolean;
  /** Consent performers as `Type/id` (R2.3, D34: a minor's performer is the rep's RelatedPerson). */
  performer?: string[];
  /** RelatedPerson: v3-RoleCode relationships (`PRN`, `GUARD`, …) and `period` as written. */
  relationships?: string[];
  periodStart?: string;
  periodEnd?: string;
  /** RelatedPerson.active = false. */
  inactive?: boolean;
  /** Patient.birthDate as written (R2.3, R7.5). */
  birthDate?: string;
  /** Binary: ids of the DocumentReference its `securityContext` names (D15). */
  documents?: string[];
  /** Binary: who created it (caller-key.ts), its only reader until a document references it (D15). */
  creator?: string;
  /** AuditEvent: RPPS numbers and references of the requesting agents (R10.1: a PS reads its own). */
  actorRpps?: string[];
  actorRefs?: string[];
};

export interface FactOptions {
  /** The facts of the version this one replaces: `deposited` and `creator` carry over (also on reindex). */
  previous?: AccessFacts;
  /** Who writes this version: recorded as the creator of a new Binary. */
  writer?: AccessContext;
  rules?: AccessRules;
}

/** Where each type names its holder (the types this server serves; others use `patient` or `subject`). */
const HOLDER_FIELD: Record<string, string> = {
  DocumentReference: 'subject',
  Consent: 'patient',
  AllergyIntolerance: 'patient',
  Immunization: 'patient',
  List: 'subject',
  RelatedPerson: 'patient',
};

function holderOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id ? `Patient/${resource.id}` : undefined;
  const record = resource as unknown as Record<string, Reference | undefined>;
  const field = HOLDER_FIELD[resource.resourceType];
  if (field) return referenceTo('Patient', record[field]);
  return referenceTo('Patient', record.patient) ?? referenceTo('Patient', record.subject);
}

/** TRE_A07 codes among labels; a code without system counts too, so a sloppy label still hides. */
export function visibilityLabels(codings: Coding[]): string[] {
  return [
    ...new Set(
      codings
        .filter((c) => c.code && VISIBILITY_LABELS.includes(c.code) && (!c.system || canonicalSystem(c.system) === VISIBILITY_SYSTEM))
        .map((c) => c.code!),
    ),
  ];
}

function instantOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function auditFacts(event: AuditEvent): SecFacts {
  const requestors = (event.agent ?? []).filter((a) => a.requestor);
  return {
    patient: distinct([
      ...(event.entity ?? []).map((e) => referenceTo('Patient', e.what)),
      ...(event.agent ?? []).map((a) => referenceTo('Patient', a.who)),
    ]),
    actorRpps: distinct(requestors.map((a) => rppsOf(a.who?.identifier))),
    actorRefs: distinct(requestors.map((a) => a.who?.reference)),
  };
}

function relatedPersonFacts(person: RelatedPerson): SecFacts {
  return {
    relationships: distinct(codesIn(codingsOf(person.relationship), ROLE_CODE_SYSTEM)),
    periodStart: person.period?.start,
    periodEnd: person.period?.end,
    inactive: person.active === false || undefined,
  };
}

function compact(facts: SecFacts): SecFacts {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(facts)) if (value !== undefined) out[key] = value;
  return out as SecFacts;
}

/**
 * The `sec` of a version about to be stored. Call it on the stamped resource (`buildRow(…).resource`,
 * whose `meta.lastUpdated` is the write time) with the current row's `sec` as `previous`.
 */
export function extractAccessFacts(resource: Resource, options: FactOptions = {}): SecFacts {
  const rules = options.rules ?? loadAccessRules();
  const previous = options.previous as SecFacts | undefined;
  const type = resource.resourceType;
  const patient = type === 'AuditEvent' ? undefined : holderOf(resource);
  const labels = visibilityLabels([
    ...(resource.meta?.security ?? []),
    ...(type === 'DocumentReference' ? codingsOf((resource as DocumentReference).securityLabel) : []),
  ]);
  const base: SecFacts = {
    patient,
    labels: labels.length ? labels : undefined,
    family: rules.families.byResourceType.get(type),
    deposited: patient ? (previous?.deposited ?? instantOf(resource.meta?.lastUpdated)) : undefined,
  };
  switch (type) {
    case 'DocumentReference': {
      const facts = documentFacts(resource as DocumentReference, patient, rules);
      // R8.3: the structure the depositing professional acted for (token `organization`) counts as
      // an author structure, so its professionals may replace the document; it carries over.
      const depositedFor = previous?.depositFiness ?? options.writer?.organization;
      const authorFiness = [...new Set([...(facts.authorFiness ?? []), ...(depositedFor ? [depositedFor] : [])])];
      return compact({ ...base, ...facts, depositFiness: depositedFor, authorFiness: authorFiness.length ? authorFiness : undefined });
    }
    case 'Consent':
      return compact({ ...base, ...consentFacts(resource as Consent) });
    case 'RelatedPerson':
      return compact({ ...base, ...relatedPersonFacts(resource as RelatedPerson) });
    case 'Patient':
      return compact({ ...base, deposited: undefined, birthDate: (resource as Patient).birthDate });
    case 'AuditEvent':
      return compact(auditFacts(resource as AuditEvent));
    case 'Binary': {
      const document = idOf('DocumentReference', (resource as Binary).securityContext);
      const creator = previous?.creator ?? (options.writer ? callerKey(options.writer) : undefined);
      return compact({ documents: document ? [document] : undefined, creator, labels: base.labels });
    }
    default: {
      // R5.1 for other clinical data: the professional who first recorded it counts as its author.
      const authorRpps = previous?.authorRpps ?? (patient && options.writer?.rpps ? [options.writer.rpps] : undefined);
      return compact({ ...base, authorRpps });
    }
  }
}
