import type { AuditEventAgent, CodeableConcept, Coding, Reference } from 'fhir/r4';
import type { AccessContext } from '../access/access-context.js';
import { ACT_REASON_SYSTEM, PARTICIPATION_TYPE_SYSTEM, RPPS_SYSTEM } from '../access/codes.js';
import { isHolderRole, isProfessionalRole } from '../access/kinds.js';
import {
  DICOM,
  DMP_ROLE_SYSTEM,
  OAUTH_CLIENT_SYSTEM,
  PROFESSION_SYSTEM,
  SERVER_NAME,
  SPECIALTY_SYSTEM,
  TOKEN_SUBJECT_SYSTEM,
  URI_SYSTEM,
  type AccessMode,
  type AuditInteraction,
} from './codes.js';

/**
 * The agents of a trace after IHE BALP: the caller (`requestor: true`, R10.1: identity and
 * profession), the client application and this server. BALP names the client "Destination" when
 * data flows to it (read, vread) and "Source" otherwise (queries and writes), the server the other.
 */

/** What the network connection and the token say about the calling application. */
export interface ClientInfo {
  /** The caller's network address (IP), as the HTTP layer sees it. */
  address?: string;
  /** The OAuth client of the token (`client_id`, else `azp`). */
  clientId?: string;
}

const SOURCE_ROLE: Coding = { system: DICOM, code: '110153', display: 'Source Role ID' };
const DESTINATION_ROLE: Coding = { system: DICOM, code: '110152', display: 'Destination Role ID' };

const participation = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: PARTICIPATION_TYPE_SYSTEM, code, display }],
});

/** BALP user agent type: information recipient on reads, author on writes, custodian on deletes. */
function userType(interaction: AuditInteraction): CodeableConcept {
  switch (interaction) {
    case 'create':
    case 'update':
    case 'patch':
    case 'transaction':
    case 'batch':
      return participation('AUT', 'author');
    case 'delete':
      return participation('CST', 'custodian');
    default:
      return participation('IRCP', 'information recipient');
  }
}

const dataFlowsToClient = (interaction: AuditInteraction) => interaction === 'read' || interaction === 'vread';

/**
 * `who` of the caller: a professional by RPPS (and their Practitioner when the token names one),
 * the holder as `Patient/<id>`, a rep as `RelatedPerson/<id>`, anyone else by token subject.
 */
function callerWho(caller: AccessContext): Reference {
  if (isProfessionalRole(caller.role) && caller.rpps) {
    return {
      ...(caller.fhirUser?.startsWith('Practitioner/') ? { reference: caller.fhirUser } : {}),
      identifier: { system: RPPS_SYSTEM, value: caller.rpps },
    };
  }
  if (isHolderRole(caller.role) && caller.fhirUser) return { reference: caller.fhirUser };
  return { identifier: { system: TOKEN_SUBJECT_SYSTEM, value: caller.sub } };
}

/** The caller's DMP role, profession (TRE_G15) and specialty (TRE_R38), one CodeableConcept each. */
function callerRoles(caller: AccessContext): CodeableConcept[] {
  const roles: CodeableConcept[] = [{ coding: [{ system: DMP_ROLE_SYSTEM, code: caller.role }] }];
  if (caller.profession) roles.push({ coding: [{ system: PROFESSION_SYSTEM, code: caller.profession }] });
  if (caller.specialty) roles.push({ coding: [{ system: SPECIALTY_SYSTEM, code: caller.specialty }] });
  return roles;
}

/**
 * The token's purpose of use as `v3-ActReason`, and `ETREAT` whenever the holder was reached
 * through emergency access (break-glass or regulator, R6.4), even if the token did not say so.
 */
function purposesOfUse(caller: AccessContext, mode: AccessMode): CodeableConcept[] | undefined {
  const codes = new Set<string>();
  if (caller.purposeOfUse) codes.add(caller.purposeOfUse);
  if (mode !== 'normal') codes.add('ETREAT');
  return codes.size ? [...codes].map((code) => ({ coding: [{ system: ACT_REASON_SYSTEM, code }] })) : undefined;
}

/** The server acting on its own (scheduled jobs), not on anyone's request. */
export const SERVER_ACTOR = 'server';

/**
 * agent[0]: who made the request; without a verified token (401), only the network address is
 * known; a scheduled job is the server itself.
 */
export function callerAgent(
  caller: AccessContext | typeof SERVER_ACTOR | undefined,
  client: ClientInfo,
  interaction: AuditInteraction,
  mode: AccessMode,
  baseUrl: string,
): AuditEventAgent {
  if (caller === SERVER_ACTOR) {
    return { type: userType(interaction), who: { identifier: { system: URI_SYSTEM, value: baseUrl }, display: SERVER_NAME }, requestor: true };
  }
  if (!caller) {
    return {
      type: userType(interaction),
      who: { display: client.address ? `unauthenticated caller at ${client.address}` : 'unauthenticated caller' },
      requestor: true,
      ...(client.address ? { network: { address: client.address, type: '2' as const } } : {}),
    };
  }
  const purposeOfUse = purposesOfUse(caller, mode);
  return {
    type: userType(interaction),
    role: callerRoles(caller),
    who: callerWho(caller),
    altId: caller.sub,
    requestor: true,
    ...(purposeOfUse ? { purposeOfUse } : {}),
  };
}

/** agent[1]: the client application, by OAuth client id, else by network address. */
export function clientAgent(client: ClientInfo, interaction: AuditInteraction): AuditEventAgent {
  const who: Reference = client.clientId
    ? { identifier: { system: OAUTH_CLIENT_SYSTEM, value: client.clientId }, display: client.clientId }
    : { display: client.address ?? 'unknown client' };
  return {
    type: { coding: [dataFlowsToClient(interaction) ? DESTINATION_ROLE : SOURCE_ROLE] },
    who,
    requestor: false,
    ...(client.address ? { network: { address: client.address, type: '2' as const } } : {}),
  };
}

/** agent[2]: this server, identified by its base URL. */
export function serverAgent(baseUrl: string, interaction: AuditInteraction): AuditEventAgent {
  return {
    type: { coding: [dataFlowsToClient(interaction) ? SOURCE_ROLE : DESTINATION_ROLE] },
    who: { identifier: { system: URI_SYSTEM, value: baseUrl }, display: SERVER_NAME },
    requestor: false,
    network: { address: baseUrl, type: '5' },
  };
}
