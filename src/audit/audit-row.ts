import type { Resource } from 'fhir/r4';
import { extractAccessFacts } from '../access/facts.js';
import { buildRow } from '../interactions/write-row.js';
import type { RowWrite, StoredRow } from '../store/store.js';

/**
 * A resource the server writes on its own (AuditEvent, Communication) as the first version of a
 * new row: the search index from `buildRow`, the access facts from `extractAccessFacts` (an
 * AuditEvent's `sec.patient`/`sec.actorRpps` are what R10.1's narrowing reads; a Communication's
 * `sec.patient` is its holder), expected to be new (version 0), so an id written twice conflicts.
 */
export function newRowWrite(resource: Resource, id: string, at: Date): RowWrite {
  const row: StoredRow = buildRow(resource, id, 1, at);
  row.sec = extractAccessFacts(row.resource!);
  return { row, expectedVersion: 0 };
}
