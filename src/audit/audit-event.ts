import type { AuditEvent, AuditEventEntity, Coding } from 'fhir/r4';
import type { AccessContext } from '../access/access-context.js';
import { callerAgent, clientAgent, serverAgent, type ClientInfo, type SERVER_ACTOR } from './audit-agents.js';
import { dataEntity, patientEntity, queryEntity, type EntityRef } from './audit-entities.js';
import {
  ACCESS_MODE_DISPLAY,
  ACCESS_MODE_SYSTEM,
  ACTION_OF,
  AUDIT_EVENT_TYPE,
  BALP,
  ENTITIES_OMITTED_EXTENSION,
  IHE_EVENT_TYPE,
  MHD_DISPLAY,
  OPERATION_SYSTEM,
  RESTFUL_INTERACTION,
  SECURITY_SOURCE_TYPE,
  SERVER_NAME,
  URI_SYSTEM,
  type AccessMode,
  type AuditInteraction,
  type AuditOutcome,
  type MhdTransaction,
} from './codes.js';

/**
 * The trace of one request (R10.1, D25), shaped after IHE BALP as DMP-RULES.md section 12 says:
 * type `rest`, subtype the RESTful interaction (and the MHD transaction), action, recorded,
 * outcome with the deciding rule, the caller, the client application and this server as agents,
 * this server as `source.observer`, the holders and every resource touched or returned as
 * entities. The TRE_R248 access mode is the event's `purposeOfEvent`: it says how the whole request
 * reached the holder, while `agent.purposeOfUse` keeps what the caller's token asserted (plus
 * `ETREAT` under emergency access).
 */

export interface AuditInput {
  id?: string;
  interaction: AuditInteraction;
  /** `$everything`, `$access`, …: recorded as a second subtype coding of an `operation`. */
  operation?: string;
  mhd?: MhdTransaction;
  recorded: Date;
  outcome: AuditOutcome;
  /** The DMP rule that decided (`R3.4` on a denial, `R6.1` for a break-glass access). */
  rule?: string;
  /** The catalogue code of the error that ended the request (`HABILITATION_DENIED`): no free text. */
  errorCode?: string;
  /** The verified caller; absent when authentication failed (401); `server` for a scheduled job. */
  caller?: AccessContext | typeof SERVER_ACTOR;
  client: ClientInfo;
  accessMode: AccessMode;
  /** This server's public base URL (`source.observer`). */
  baseUrl: string;
  /** Holders (`Patient/<id>`) the request concerned. */
  patients: readonly string[];
  /** Resources touched or returned. */
  entities: readonly EntityRef[];
  /** The query of a search, as received (redacted before it is recorded, see audit-entities.ts). */
  query?: string | ReadonlyArray<readonly [string, string]>;
  /** Entities left out because the event reached its cap. */
  omitted?: number;
}

const PROFILE_OF: Partial<Record<AuditInteraction, string>> = {
  read: 'Read',
  vread: 'Read',
  'search-type': 'Query',
  'search-system': 'Query',
  create: 'Create',
  update: 'Update',
  patch: 'Update',
  delete: 'Delete',
};

/** BALP profiles describe successes only; a refused or failed request claims none. */
function profiles(input: AuditInput): string[] | undefined {
  const base = PROFILE_OF[input.interaction];
  if (!base || input.outcome !== '0') return undefined;
  return [`${BALP}${input.patients.length > 0 ? `Patient${base}` : base}`];
}

function subtypes(input: AuditInput): Coding[] {
  const codes: Coding[] = [{ system: RESTFUL_INTERACTION, code: input.interaction }];
  if (input.interaction === 'operation' && input.operation) {
    codes.push({ system: OPERATION_SYSTEM, code: input.operation.startsWith('$') ? input.operation : `$${input.operation}` });
  }
  if (input.mhd) codes.push({ system: IHE_EVENT_TYPE, code: input.mhd, display: MHD_DISPLAY[input.mhd] });
  return codes;
}

/** `R3.4 HABILITATION_DENIED`: the rule and the stable error code, never a message (R5.5). */
function outcomeDesc(input: AuditInput): string | undefined {
  const text = [input.rule, input.outcome === '0' ? undefined : input.errorCode].filter(Boolean).join(' ');
  return text || undefined;
}

export function buildAuditEvent(input: AuditInput): AuditEvent {
  const entity: AuditEventEntity[] = [
    ...input.patients.map(patientEntity),
    ...input.entities.map(dataEntity),
    ...(input.query !== undefined ? [queryEntity(input.query)] : []),
  ];
  const profile = profiles(input);
  const desc = outcomeDesc(input);
  return {
    resourceType: 'AuditEvent',
    ...(input.id ? { id: input.id } : {}),
    ...(profile ? { meta: { profile } } : {}),
    ...(input.omitted ? { extension: [{ url: ENTITIES_OMITTED_EXTENSION, valueUnsignedInt: input.omitted }] } : {}),
    type: { system: AUDIT_EVENT_TYPE, code: 'rest', display: 'Restful Operation' },
    subtype: subtypes(input),
    action: ACTION_OF[input.interaction],
    recorded: input.recorded.toISOString(),
    outcome: input.outcome,
    ...(desc ? { outcomeDesc: desc } : {}),
    purposeOfEvent: [
      { coding: [{ system: ACCESS_MODE_SYSTEM, code: input.accessMode, display: ACCESS_MODE_DISPLAY[input.accessMode] }] },
    ],
    agent: [
      callerAgent(input.caller, input.client, input.interaction, input.accessMode, input.baseUrl),
      clientAgent(input.client, input.interaction),
      serverAgent(input.baseUrl, input.interaction),
    ],
    source: {
      site: input.baseUrl,
      observer: { identifier: { system: URI_SYSTEM, value: input.baseUrl }, display: SERVER_NAME },
      type: [{ system: SECURITY_SOURCE_TYPE, code: '4', display: 'Application Server' }],
    },
    ...(entity.length ? { entity } : {}),
  };
}
