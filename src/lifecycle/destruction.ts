import { createHash } from 'node:crypto';
import type { AuditEvent } from 'fhir/r4';
import type { SecFacts } from '../access/facts.js';
import { referenceTarget } from '../access/fhir-values.js';
import { isDirectory } from '../access/kinds.js';
import { holdersOfRow } from '../access/read-access.js';
import { SERVER_ACTOR } from '../audit/audit-agents.js';
import { buildAuditEvent } from '../audit/audit-event.js';
import { newRowWrite } from '../audit/audit-row.js';
import { SERVER_NAME } from '../audit/codes.js';
import { OUTBOX_TYPE } from '../audit/outbox.js';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { VersionConflictError, type Filter, type Store, type StoredRow } from '../store/store.js';

/**
 * R9.3, the destruction of one holder's DMP: every resource of the holder and every version of
 * each, through `store.purge(type, ids)`, and one AuditEvent of the server recording it that names
 * the holder's Patient by reference and nothing else (no document, type, title or count: R5.5).
 *
 * What "the holder's" means, type by type:
 * - every current row whose `sec.patient` is the holder (Patient, Consent, DocumentReference,
 *   AllergyIntolerance, Immunization, RelatedPerson, List, Communication, …: indexed lookups);
 * - AuditEvents naming the holder and no one else (R10.1: traces are kept as long as the DMP's
 *   data). A trace that also names other holders is kept: it is theirs too, and names the
 *   destroyed holder by reference only;
 * - deleted resources: `find` never returns tombstones, so their ids come from the holder's traces
 *   (every write is committed with an AuditEvent naming what it wrote, "no audit, no data"), each
 *   checked on its own row (a tombstone keeps its `sec.patient`);
 * - Binaries: those named by any version of the holder's DocumentReferences, or pointing to one of
 *   them (`securityContext`), unless a document of another holder also points to it;
 * - the notification outbox rows of the holder's Communications.
 * Order: the trace first (under an id derived from the closure, so a retried destruction records
 * nothing twice), then everything else, the dmp-creation Consents last: a destruction cut short
 * is found again by the next run, since the closed DMP is what the retention job looks for.
 */

export interface DestructionOptions {
  store: Store;
  baseUrl: string;
  /** Rows read per page while collecting. */
  pageSize?: number;
}

export interface Destruction {
  holder: string;
  /** The AuditEvent recording it. */
  auditEventId: string;
  /** How many resources (all their versions) were purged, per type. */
  purged: Record<string, number>;
}

/** Types whose rows the holder's compartment may hold, the Consents last (see above). */
const HOLDER_TYPES = RESOURCE_TYPES.filter((t) => !isDirectory(t) && t !== 'Binary' && t !== 'AuditEvent' && t !== 'Consent');

/** A UUID-shaped id fixed by the closure being acted on. */
export function destructionEventId(holder: string, closure: StoredRow): string {
  const hex = createHash('sha256').update(`R9.3|${holder}|${closure.type}/${closure.id}|${closure.lastUpdated}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

async function allRows(store: Store, type: string, filter: Filter, pageSize: number): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  for (let skip = 0; ; skip += pageSize) {
    const page = await store.find(type, { filter, sort: [['id', 1]], skip, limit: pageSize });
    rows.push(...page);
    if (page.length < pageSize) return rows;
  }
}

type Collected = Map<string, Set<string>>;

function add(collected: Collected, type: string, id: string): void {
  let ids = collected.get(type);
  if (!ids) collected.set(type, (ids = new Set()));
  ids.add(id);
}

/** Resources the holder's traces name (`Type/id/_history/n`), deleted ones included. */
function tracedResources(events: readonly StoredRow[]): Array<{ type: string; id: string }> {
  const seen = new Map<string, { type: string; id: string }>();
  for (const row of events) {
    for (const entity of (row.resource as AuditEvent | undefined)?.entity ?? []) {
      const target = referenceTarget(entity.what?.reference);
      if (target) seen.set(`${target.type}/${target.id}`, target);
    }
  }
  return [...seen.values()];
}

async function collect(store: Store, holder: string, keepEvent: string, pageSize: number): Promise<Collected> {
  const collected: Collected = new Map();
  const mine = { 'sec.patient': holder };
  for (const type of [...HOLDER_TYPES, 'Consent']) {
    for (const row of await allRows(store, type, mine, pageSize)) add(collected, type, row.id);
  }
  const events = await allRows(store, 'AuditEvent', mine, pageSize);
  for (const row of events) {
    const named = holdersOfRow(row);
    if (row.id !== keepEvent && named.every((h) => h === holder)) add(collected, 'AuditEvent', row.id);
  }
  // deleted resources of the holder, known from their traces
  for (const { type, id } of tracedResources(events)) {
    if (collected.get(type)?.has(id) || type === 'AuditEvent' || isDirectory(type)) continue;
    const row = await store.read(type, id);
    if (row?.deleted && holdersOfRow(row).includes(holder)) add(collected, type, id);
  }
  await collectBinaries(store, holder, collected, pageSize);
  const communications = [...(collected.get('Communication') ?? [])].map((id) => `Communication/${id}`);
  if (communications.length > 0) {
    for (const row of await allRows(store, OUTBOX_TYPE, { 'sec.communication': { $in: communications } }, pageSize)) add(collected, OUTBOX_TYPE, row.id);
  }
  return collected;
}

async function collectBinaries(store: Store, holder: string, collected: Collected, pageSize: number): Promise<void> {
  const documents = [...(collected.get('DocumentReference') ?? [])];
  if (documents.length === 0) return;
  const candidates = new Set<string>();
  for (const id of documents) {
    // every version: a Binary dropped by a later version is still the holder's
    for (const version of await store.history('DocumentReference', id, {})) {
      for (const binary of (version.sec as SecFacts).binaries ?? []) candidates.add(binary);
    }
  }
  for (const row of await allRows(store, 'Binary', { 'sec.documents': { $in: documents } }, pageSize)) candidates.add(row.id);
  if (candidates.size === 0) return;
  const shared = await allRows(store, 'DocumentReference', { 'sec.binaries': { $in: [...candidates] }, 'sec.patient': { $ne: holder } }, pageSize);
  const others = new Set(shared.flatMap((row) => (row.sec as SecFacts).binaries ?? []));
  for (const id of candidates) if (!others.has(id)) add(collected, 'Binary', id);
}

/** Records the destruction (once per closure), then purges the holder's compartment. */
export async function destroyHolder(options: DestructionOptions, holder: string, closure: StoredRow, now: Date): Promise<Destruction> {
  const { store, baseUrl } = options;
  const pageSize = options.pageSize ?? 500;
  const auditEventId = destructionEventId(holder, closure);
  const event = buildAuditEvent({
    id: auditEventId,
    interaction: 'delete',
    recorded: now,
    outcome: '0',
    rule: 'R9.3',
    caller: SERVER_ACTOR,
    client: { clientId: SERVER_NAME },
    accessMode: 'normal',
    baseUrl,
    patients: [holder],
    entities: [],
  });
  try {
    await store.commit([newRowWrite(event, auditEventId, now)]);
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error; // recorded by an earlier, interrupted run
  }
  const collected = await collect(store, holder, auditEventId, pageSize);
  const purged: Record<string, number> = {};
  const order = [...collected.keys()].sort((a, b) => Number(a === 'Consent') - Number(b === 'Consent'));
  for (const type of order) {
    const ids = [...collected.get(type)!];
    for (let at = 0; at < ids.length; at += pageSize) await store.purge(type, ids.slice(at, at + pageSize));
    purged[type] = ids.length;
  }
  return { holder, auditEventId, purged };
}
