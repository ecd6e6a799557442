import { indexPlan } from '../search/definitions.js';
import { withAuditIndexes } from '../audit/index-plan.js';
import type { IndexPlan } from '../store/store.js';

/**
 * The `sec.*` fields the access queries look up by equality or `$in`, per type, for both stores'
 * index plans (multikey: a list is indexed per element). `sec.patient` scopes every holder-bound
 * type; the Consent fields find a professional's authorisations and a holder's DMP state on every
 * request (caller-facts.ts); the others serve masking, Binary resolution and the audit trail.
 */
export const ACCESS_INDEX_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Patient: ['sec.patient'],
  Consent: ['sec.patient', 'sec.category', 'sec.status', 'sec.permitRpps', 'sec.permitFiness', 'sec.gpRpps', 'sec.blockedRpps'],
  DocumentReference: ['sec.patient', 'sec.family', 'sec.labels', 'sec.authorRpps', 'sec.binaries'],
  AllergyIntolerance: ['sec.patient', 'sec.family'],
  Immunization: ['sec.patient', 'sec.family'],
  List: ['sec.patient'],
  RelatedPerson: ['sec.patient', 'sec.family'],
  AuditEvent: ['sec.patient', 'sec.actorRpps'],
  Binary: ['sec.documents'],
  Communication: ['sec.patient'],
};

/** The given plan with the access fields added (no field twice). */
export function withAccessIndexes(plan: IndexPlan): IndexPlan {
  const merged: IndexPlan = { ...plan };
  for (const [type, fields] of Object.entries(ACCESS_INDEX_FIELDS)) {
    merged[type] = [...new Set([...(merged[type] ?? []), ...fields])];
  }
  return merged;
}

/** What both stores index: the search parameters' fields and the access facts' fields. */
export function storeIndexPlan(): IndexPlan {
  return withAuditIndexes(withAccessIndexes(indexPlan()));
}
