/**
 * The one list of resource types this server serves. It feeds routing, validation, indexing, the
 * CapabilityStatement and the OpenAPI document; a type absent here is answered 404 as unsupported.
 */
export const RESOURCE_TYPES = [
  'Patient',
  'DocumentReference',
  'Consent',
  'AuditEvent',
  'AllergyIntolerance',
  'Immunization',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'RelatedPerson',
  'Binary',
  'List',
  'Communication',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

export type Interaction =
  | 'read'
  | 'vread'
  | 'update'
  | 'patch'
  | 'delete'
  | 'history-instance'
  | 'history-type'
  | 'create'
  | 'search-type';

const ALL_INTERACTIONS: Interaction[] = [
  'read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type',
];

export interface TypeInfo {
  type: ResourceType;
  interactions: Interaction[];
  /** Short purpose, shown in the CapabilityStatement and the OpenAPI document. */
  documentation: string;
}

const DOCS: Record<ResourceType, string> = {
  Patient: 'The DMP holder, identified by INS.',
  DocumentReference: 'A document of the DMP (IHE MHD).',
  Consent: "The holder's consent to the DMP and their access choices.",
  AuditEvent: 'The trace of every action on a DMP; written by the server only.',
  AllergyIntolerance: 'Allergies and intolerances of the holder.',
  Immunization: 'Vaccinations of the holder.',
  Practitioner: 'Health professionals (directory), identified by RPPS.',
  PractitionerRole: 'Roles of health professionals (directory).',
  Organization: 'Care structures (directory), identified by FINESS.',
  RelatedPerson: "Legal representatives, emergency contacts and the holder's trusted person.",
  Binary: 'Content of documents.',
  List: 'IHE MHD SubmissionSets and other lists.',
  Communication: 'Notifications to the holder (DMP opened, first access, emergency access, …); written by the server only.',
};

/** Types written by the server only: clients read and search them (D13, R10.2). */
const SERVER_WRITTEN: Partial<Record<ResourceType, Interaction[]>> = {
  AuditEvent: ['read', 'vread', 'history-instance', 'search-type'],
  Communication: ['read', 'vread', 'history-instance', 'search-type'],
};

export const REGISTRY: ReadonlyMap<ResourceType, TypeInfo> = new Map(
  RESOURCE_TYPES.map((type) => [type, { type, interactions: SERVER_WRITTEN[type] ?? ALL_INTERACTIONS, documentation: DOCS[type] }]),
);

export function isSupportedType(type: string): type is ResourceType {
  return REGISTRY.has(type as ResourceType);
}
