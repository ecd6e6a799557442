import { randomUUID } from 'node:crypto';
import type { Consent, Reference, Resource } from 'fhir/r4';
import type { AccessContext } from '../access/access-context.js';
import { CONSENT_CATEGORY_SYSTEM, DMP_CREATION } from '../access/codes.js';
import { codingsOf, hasCode, referenceTo } from '../access/fhir-values.js';
import { isClinical } from '../access/kinds.js';
import { VersionConflictError, type RowWrite, type Store, type StoredRow } from '../store/store.js';
import type { ClientInfo } from './audit-agents.js';
import type { EntityRef } from './audit-entities.js';
import { buildAuditEvent } from './audit-event.js';
import { newRowWrite } from './audit-row.js';
import type { AccessMode, AuditInteraction, AuditOutcome, MhdTransaction } from './codes.js';
import { notificationWrites, requestNotifications } from './notifications.js';
import { auditWriteFailed, outcomeOf, type RecordedOutcome } from './outcome.js';

/**
 * One request's trace (D25: one request, one AuditEvent). The interaction tells the recorder what
 * it touched as it goes; at the end the recorder either hands its rows to the data write
 * (`sealWith`, `commitWith`: the AuditEvent and its notifications in the same atomic commit as the
 * data) or commits them alone (`finish`, awaited). The AuditEvent id is fixed for the recorder, so
 * a trace can never be written twice: re-sealing after a data conflict rebuilds the same event, and
 * a `finish` after a sealed commit that did land conflicts on that id and records nothing more.
 */

export interface AuditRecorderOptions {
  store: Store;
  clock: () => Date;
  baseUrl: string;
  /** The verified caller; absent when authentication failed (401). */
  access?: AccessContext;
  client: ClientInfo;
  interaction: AuditInteraction;
  /** The operation's name (`$everything`) when `interaction` is `operation`. */
  operation?: string;
  mhd?: MhdTransaction;
  /** At most this many entities (holders and resources) per event; the rest are counted. */
  maxEntities?: number;
}

/** What the data write and the access decision tell the recorder about emergency access. */
export interface AccessFactsForAudit {
  accessMode: AccessMode;
  rule?: string;
  emergencyHolders?: readonly string[];
}

export interface AuditRecorder {
  /** The AuditEvent's id. */
  readonly id: string;
  readonly state: 'open' | 'sealed' | 'done';
  /** A holder (`Patient/<id>`) the request concerns. */
  patient(reference: string): void;
  /** A resource touched or returned, by reference (a version when known). */
  entity(type: string, id: string, versionId?: number): void;
  /** A stored row read or returned: its reference at its version, and its holders. */
  row(row: StoredRow): void;
  rows(rows: Iterable<StoredRow>): void;
  /** A row this request writes (with the version it replaces): also detects a DMP being opened. */
  wrote(row: StoredRow, previous?: StoredRow): void;
  /** The query string (or pairs) of a search. */
  query(query: string | ReadonlyArray<readonly [string, string]>): void;
  /** The rule that decided (`R3.4`, `R6.1`). */
  decidedBy(rule: string | undefined): void;
  /** TRE_R248 access mode and the holders reached through emergency access. */
  purpose(mode: AccessMode, emergencyHolders?: readonly string[]): void;
  /** Shorthand for `purpose` and `decidedBy` from the access decision. */
  access(decision: AccessFactsForAudit): void;
  /** The AuditEvent and notification rows to commit in the same `store.commit` as the data. */
  sealWith(outcome?: AuditOutcome): Promise<RowWrite[]>;
  /** `store.commit([...writes, ...sealWith(outcome)])`, retried once a notification race is lost. */
  commitWith(writes: readonly RowWrite[], outcome?: AuditOutcome): Promise<void>;
  /**
   * Commits the AuditEvent (and notifications) alone unless a sealed commit already recorded it.
   * With an error, the outcome and rule come from it (`outcome` overrides). Throws a 500
   * `AUDIT_WRITE_FAILED` when the store fails: no audit, no answer.
   */
  finish(outcome?: AuditOutcome, error?: unknown): Promise<void>;
}

export const DEFAULT_MAX_ENTITIES = 1_000;
const RACE_RETRIES = 3;

/** The holders of a row: its stored facts, else the references its resource makes. */
function holdersOf(row: StoredRow): string[] {
  if (row.type === 'AuditEvent') return [];
  const patient = (row.sec as { patient?: string | string[] }).patient;
  if (patient !== undefined) return Array.isArray(patient) ? patient : [patient];
  const resource = row.resource as (Resource & { patient?: Reference; subject?: Reference }) | undefined;
  if (!resource) return [];
  if (resource.resourceType === 'Patient') return [`Patient/${row.id}`];
  const holder = referenceTo('Patient', resource.patient) ?? referenceTo('Patient', resource.subject);
  return holder ? [holder] : [];
}

function opensDmp(row: StoredRow, previous: StoredRow | undefined): string | undefined {
  if (row.type !== 'Consent' || row.deleted) return undefined;
  const consent = row.resource as Consent | undefined;
  if (consent?.status !== 'active' || !hasCode(codingsOf(consent.category), CONSENT_CATEGORY_SYSTEM, DMP_CREATION)) return undefined;
  const before = previous && !previous.deleted ? (previous.resource as Consent | undefined)?.status : undefined;
  return before === 'active' ? undefined : referenceTo('Patient', consent.patient);
}

export function createAuditRecorder(options: AuditRecorderOptions): AuditRecorder {
  const { store, clock, access: caller } = options;
  const max = options.maxEntities ?? DEFAULT_MAX_ENTITIES;
  const id = randomUUID();
  const patients = new Set<string>();
  const entities = new Map<string, EntityRef>();
  const reached = new Set<string>();
  const opened = new Set<string>();
  let omitted = 0;
  let rule: string | undefined;
  let mode: AccessMode = 'normal';
  let emergency: readonly string[] = [];
  let query: string | ReadonlyArray<readonly [string, string]> | undefined;
  let state: AuditRecorder['state'] = 'open';
  let onceIds = new Set<string>();

  const full = () => patients.size + entities.size >= max;

  async function rowsFor(recorded: RecordedOutcome): Promise<RowWrite[]> {
    const now = clock();
    const decidingRule = recorded.rule ?? rule;
    const event = buildAuditEvent({
      id,
      interaction: options.interaction,
      ...(options.operation ? { operation: options.operation } : {}),
      ...(options.mhd ? { mhd: options.mhd } : {}),
      recorded: now,
      outcome: recorded.outcome,
      ...(decidingRule ? { rule: decidingRule } : {}),
      ...(recorded.errorCode ? { errorCode: recorded.errorCode } : {}),
      ...(caller ? { caller } : {}),
      client: options.client,
      accessMode: mode,
      baseUrl: options.baseUrl,
      patients: [...patients],
      entities: [...entities.values()],
      ...(query !== undefined ? { query } : {}),
      omitted,
    });
    const planned = await requestNotifications({
      store,
      now,
      auditEventId: id,
      ...(caller ? { caller } : {}),
      outcome: recorded.outcome,
      reached: [...reached],
      accessMode: mode,
      emergency,
      opened: [...opened],
    });
    onceIds = new Set(planned.filter((p) => p.once).map((p) => p.id));
    return [newRowWrite(event, id, now), ...notificationWrites(planned, now)];
  }

  /** A once-only notification that another request committed between our check and our commit. */
  const lostRace = (error: unknown) => error instanceof VersionConflictError && onceIds.has(error.id);
  const alreadyRecorded = (error: unknown) => error instanceof VersionConflictError && error.type === 'AuditEvent' && error.id === id;

  const recorder: AuditRecorder = {
    id,
    get state() {
      return state;
    },
    patient(reference) {
      if (patients.has(reference)) return;
      if (full()) omitted++;
      else patients.add(reference);
    },
    entity(type, entityId, versionId) {
      const key = `${type}/${entityId}`;
      // a retried write rebuilds its row on a newer version: the last one is the one committed
      if (!entities.has(key) && full()) omitted++;
      else entities.set(key, { type, id: entityId, ...(versionId !== undefined ? { versionId } : {}) });
    },
    row(row) {
      recorder.entity(row.type, row.id, row.versionId);
      for (const holder of holdersOf(row)) {
        recorder.patient(holder);
        // "accessing the DMP" (R10.2 first access) is reaching its clinical data, not finding the
        // Patient by INS or checking whether a DMP is open
        if (isClinical(row.type)) reached.add(holder);
      }
    },
    rows(rows) {
      for (const row of rows) recorder.row(row);
    },
    wrote(row, previous) {
      recorder.row(row);
      const holder = opensDmp(row, previous);
      if (holder) opened.add(holder);
    },
    query(value) {
      query = value;
    },
    decidedBy(value) {
      if (value) rule = value;
    },
    purpose(value, holders = []) {
      mode = value;
      emergency = [...holders];
      for (const holder of holders) recorder.patient(holder);
    },
    access(decision) {
      recorder.purpose(decision.accessMode, decision.emergencyHolders);
      recorder.decidedBy(decision.rule);
    },
    async sealWith(outcome = '0') {
      if (state === 'done') throw new Error(`AuditEvent/${id} is already recorded`);
      const rows = await rowsFor({ outcome });
      state = 'sealed';
      return rows;
    },
    async commitWith(writes, outcome = '0') {
      for (let attempt = 1; ; attempt++) {
        const audit = await recorder.sealWith(outcome);
        try {
          await store.commit([...writes, ...audit]);
          state = 'done';
          return;
        } catch (error) {
          if (!lostRace(error) || attempt >= RACE_RETRIES) throw error;
        }
      }
    },
    async finish(outcome, error) {
      if (state === 'done') return;
      // a sealed request that ended normally committed its trace with its data
      if (state === 'sealed' && error === undefined) {
        state = 'done';
        return;
      }
      const recorded: RecordedOutcome = error !== undefined ? outcomeOf(error) : { outcome: outcome ?? '0' };
      if (outcome !== undefined) recorded.outcome = outcome;
      for (let attempt = 1; ; attempt++) {
        try {
          await store.commit(await rowsFor(recorded));
          state = 'done';
          return;
        } catch (failure) {
          if (alreadyRecorded(failure)) {
            state = 'done';
            return;
          }
          if (lostRace(failure) && attempt < RACE_RETRIES) continue;
          throw auditWriteFailed(failure);
        }
      }
    },
  };
  return recorder;
}
