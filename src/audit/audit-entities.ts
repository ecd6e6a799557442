import type { AuditEventEntity, Coding } from 'fhir/r4';
import { AUDIT_ENTITY_TYPE, OBJECT_ROLE } from './codes.js';

/**
 * The entities of a trace after IHE BALP: the holder (`Patient`, role 1), each resource touched or
 * returned (system object, role 4 "domain resource"), and for a search the query (role 24).
 *
 * R5.5: an AuditEvent the holder reads names no type or title of a document hidden from them. So
 * entities are references only (`Type/id/_history/v`): no `display`, `name`, `description`,
 * `detail` or `securityLabel`, whatever the reader. The query is the one place where a caller's
 * own words about a document could appear (`type=…|68599-0`, `description=…`): it is recorded
 * with the parameter names intact and only the values of parameters that cannot describe a
 * document kept; every other value becomes `[redacted]`.
 */

/** A resource by reference, optionally at a version. */
export interface EntityRef {
  type: string;
  id: string;
  versionId?: number;
}

const PERSON: Coding = { system: AUDIT_ENTITY_TYPE, code: '1', display: 'Person' };
const SYSTEM_OBJECT: Coding = { system: AUDIT_ENTITY_TYPE, code: '2', display: 'System Object' };
const PATIENT_ROLE: Coding = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
const DOMAIN_RESOURCE: Coding = { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' };
const QUERY_ROLE: Coding = { system: OBJECT_ROLE, code: '24', display: 'Query' };

export const REDACTED = '[redacted]';

/**
 * Parameters whose values name no document's type, title or content: ids, the holder, dates,
 * statuses, paging and shaping, and the AuditEvent parameters a holder reads their trace with.
 * Compared on the name before any modifier (`subject:Patient` → `subject`); chains
 * (`subject:Patient.name`) and `_has` never match, so their values are redacted.
 */
const KEPT_VALUES: ReadonlySet<string> = new Set([
  '_id',
  '_lastUpdated',
  '_count',
  '_sort',
  '_total',
  '_summary',
  '_elements',
  '_include',
  '_revinclude',
  '_format',
  '_since',
  '_at',
  'patient',
  'subject',
  'date',
  'status',
  'agent',
  'entity',
  'action',
  'outcome',
  'isArchived',
]);

export function patientEntity(holder: string): AuditEventEntity {
  return { what: { reference: holder }, type: PERSON, role: PATIENT_ROLE };
}

export function referenceOf(ref: EntityRef): string {
  return ref.versionId !== undefined ? `${ref.type}/${ref.id}/_history/${ref.versionId}` : `${ref.type}/${ref.id}`;
}

export function dataEntity(ref: EntityRef): AuditEventEntity {
  return { what: { reference: referenceOf(ref) }, type: SYSTEM_OBJECT, role: DOMAIN_RESOURCE };
}

/** The query string with the values of parameters that might describe a document redacted. */
export function redactQuery(query: string | ReadonlyArray<readonly [string, string]>): string {
  const pairs = typeof query === 'string' ? [...new URLSearchParams(query.replace(/^\?/, ''))] : query;
  const out = new URLSearchParams();
  for (const [name, value] of pairs) {
    // a chain (`subject:Patient.name`) searches another resource's fields: never kept
    const kept = !name.includes('.') && KEPT_VALUES.has(name.split(':')[0]!);
    out.append(name, kept ? value : REDACTED);
  }
  return out.toString();
}

/** BALP `entity[query]`: the (redacted) query string, base64-encoded. */
export function queryEntity(query: string | ReadonlyArray<readonly [string, string]>): AuditEventEntity {
  return { type: SYSTEM_OBJECT, role: QUERY_ROLE, query: Buffer.from(redactQuery(query), 'utf8').toString('base64') };
}
