import { OUR_CODES } from '../access/codes.js';

/**
 * The code systems and codes of the traces and notifications (DMP-RULES.md sections 11 and 12,
 * IHE BALP). Kept apart from the access codes: these describe what happened, not who may see it.
 */

export const AUDIT_EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
export const RESTFUL_INTERACTION = 'http://hl7.org/fhir/restful-interaction';
export const IHE_EVENT_TYPE = 'urn:ihe:event-type-code';
export const AUDIT_ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
export const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
export const DICOM = 'http://dicom.nema.org/resources/ontology/DCM';
export const SECURITY_SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
export const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.';

/** TRE_G15 profession and TRE_R38 specialty (section 11). */
export const PROFESSION_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante';
export const SPECIALTY_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale';
/** TRE_R248 access mode, recorded in every AuditEvent (`purposeOfEvent`). */
export const ACCESS_MODE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R248-ModeAcces/FHIR/TRE-R248-ModeAcces';

/** Our own systems: the caller's DMP role, token subjects, OAuth clients, operations, notifications. */
export const DMP_ROLE_SYSTEM = `${OUR_CODES}dmp-role`;
export const OPERATION_SYSTEM = `${OUR_CODES}operation`;
export const NOTIFICATION_SYSTEM = `${OUR_CODES}notification`;
export const TOKEN_SUBJECT_SYSTEM = 'https://dmp-fhir-server.example/NamingSystem/token-subject';
export const OAUTH_CLIENT_SYSTEM = 'https://dmp-fhir-server.example/NamingSystem/oauth-client-id';
export const URI_SYSTEM = 'urn:ietf:rfc:3986';
/** Extension counting the entities left out of an AuditEvent that reached the entity cap. */
export const ENTITIES_OMITTED_EXTENSION = 'https://dmp-fhir-server.example/StructureDefinition/audit-entities-omitted';

/** The name this server records itself under (`source.observer`, the server agent). */
export const SERVER_NAME = 'dmp-fhir-server';

/** TRE_R248: how the caller reached the holder (normal, break-glass, SAMU centre 15). */
export type AccessMode = 'normal' | 'bris_de_glace' | 'centre_15';

export const ACCESS_MODE_DISPLAY: Readonly<Record<AccessMode, string>> = {
  normal: 'Accès normal',
  bris_de_glace: 'Accès en mode bris de glace',
  centre_15: 'Accès en mode centre de régulation (SAMU-Centre 15)',
};

/** The RESTful interactions a trace names (`restful-interaction` codes). */
export type AuditInteraction =
  | 'read'
  | 'vread'
  | 'search-type'
  | 'search-system'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'history-instance'
  | 'history-type'
  | 'history-system'
  | 'transaction'
  | 'batch'
  | 'operation';

/** `AuditEvent.action`: C create, R read, U update, D delete, E execute (queries, bundles, operations). */
export const ACTION_OF: Readonly<Record<AuditInteraction, 'C' | 'R' | 'U' | 'D' | 'E'>> = {
  read: 'R',
  vread: 'R',
  'history-instance': 'R',
  'search-type': 'E',
  'search-system': 'E',
  'history-type': 'E',
  'history-system': 'E',
  create: 'C',
  update: 'U',
  patch: 'U',
  delete: 'D',
  transaction: 'E',
  batch: 'E',
  operation: 'E',
};

/** IHE MHD transactions (`urn:ihe:event-type-code`). */
export type MhdTransaction = 'ITI-65' | 'ITI-67' | 'ITI-68';

export const MHD_DISPLAY: Readonly<Record<MhdTransaction, string>> = {
  'ITI-65': 'Provide Document Bundle',
  'ITI-67': 'Find Document References',
  'ITI-68': 'Retrieve Document',
};

/** `AuditEvent.outcome`: 0 success, 4 refused by a rule or bad request, 8 server failure. */
export type AuditOutcome = '0' | '4' | '8';

/** The notifications of R10.2 (`Communication.category`, our `notification` system). */
export type NotificationKind = 'dmp-opened' | 'first-access' | 'break-glass' | 'regulator-access' | 'invisible-unreleased';

/** TRE_G15 labels, for the French text of a first-access notification. */
export const PROFESSION_LABEL: Readonly<Record<string, string>> = {
  '10': 'médecin',
  '21': 'pharmacien',
  '26': 'audioprothésiste',
  '28': 'opticien-lunetier',
  '40': 'chirurgien-dentiste',
  '50': 'sage-femme',
  '60': 'infirmier',
  '69': 'infirmier psychiatrique',
  '70': 'masseur-kinésithérapeute',
  '80': 'pédicure-podologue',
  '86': 'technicien de laboratoire',
  '91': 'orthophoniste',
  '92': 'orthoptiste',
  '93': 'psychologue',
  '94': 'ergothérapeute',
  '95': 'diététicien',
  '96': 'psychomotricien',
  '98': 'manipulateur ERM',
};
