import type { IndexPlan } from '../store/store.js';
import { OUTBOX_TYPE } from './outbox.js';

/**
 * Row fields the audit module looks up, for both stores' index plans. The outbox is polled by
 * `sec.state` (equality). Listing the type here also makes MongoDB create its collection at start-up
 * (mongo-indexes.ts), so no transaction has to. Everything else the module reads is by id
 * (first-access and invisible-unreleased notices have derived ids) or already indexed by the
 * access plan (`DocumentReference` `sec.labels`, `RelatedPerson` `sec.patient`).
 */
export const AUDIT_INDEX_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [OUTBOX_TYPE]: ['sec.state'],
};

/** The given plan with the audit fields added (no field twice). */
export function withAuditIndexes(plan: IndexPlan): IndexPlan {
  const merged: IndexPlan = { ...plan };
  for (const [type, fields] of Object.entries(AUDIT_INDEX_FIELDS)) {
    merged[type] = [...new Set([...(merged[type] ?? []), ...fields])];
  }
  return merged;
}
