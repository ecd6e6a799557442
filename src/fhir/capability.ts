import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestSecurity, CapabilityStatementRestResourceOperation } from 'fhir/r4';
import { REGISTRY } from './registry.js';
import { searchParametersFor } from '../search/definitions.js';
import { profilesOf } from '../validation/profiles.js';
import { serverRoot, type OAuthEndpoints } from './smart.js';

/** Bumped with each release whose API surface changes; the checked-in statement shows the change. */
export const SOFTWARE = { name: 'dmp-fhir-server', version: '0.1.0', releaseDate: '2026-11-23' };

const VALIDATE: CapabilityStatementRestResourceOperation = {
  name: 'validate',
  definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate',
  documentation: 'D12: base R4 and the profiles of meta.profile (or the profile parameter); any authenticated role; reads and writes nothing, applies no DMP rule; always 200 with an OperationOutcome, 400 only for a body that is not JSON.',
};

/** The operations of each type besides `$validate`: official definitions where one exists, ours otherwise (`profiles/`). */
const OPERATIONS: Record<string, CapabilityStatementRestResourceOperation[]> = {
  Patient: [
    {
      name: 'everything',
      definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything',
      documentation: "R7.4, D14: the patient's compartment as the caller may see it, archived and superseded documents included, with the directory entries and Binaries it references; _since, _type, _count and paging links. AuditEvent and Communication only when _type names them.",
    },
  ],
  DocumentReference: [
    {
      name: 'access',
      definition: 'https://dmp-fhir-server.example/OperationDefinition/DocumentReference-access',
      documentation: "D28: who can see this document (the actors of the holder's Consents and the author) and the deciding rule; for the holder, their representatives and the administrator.",
    },
  ],
};

function resource(type: string): CapabilityStatementRestResource {
  const info = REGISTRY.get(type as never)!;
  const profiles = profilesOf(type);
  return {
    type,
    ...(profiles.length ? { supportedProfile: profiles } : {}),
    documentation: info.documentation,
    interaction: info.interactions.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'full-support',
    conditionalUpdate: true,
    conditionalDelete: 'single',
    searchParam: searchParametersFor(type).map((p) => ({
      name: p.code,
      definition: p.url,
      type: p.type,
      ...(p.description ? { documentation: p.description } : {}),
    })),
    operation: [...(OPERATIONS[type] ?? []), VALIDATE],
  };
}

/** SMART on FHIR security with the oauth-uris extension (its `token` and `authorize` when known). */
function security(oauth: OAuthEndpoints): CapabilityStatementRestSecurity {
  const uris = Object.entries(oauth).map(([url, valueUri]) => ({ url, valueUri: valueUri as string }));
  return {
    ...(uris.length ? { extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: uris }] } : {}),
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }], text: 'OAuth2 bearer tokens (SMART on FHIR)' }],
    description: 'Bearer JWT on every resource endpoint; discovery at .well-known/smart-configuration. Development mode: tokens from POST /dev/token.',
  };
}

/**
 * The CapabilityStatement at `/fhir/metadata`, generated from the registry and the search definitions.
 * `oauth` defaults to development mode's token endpoint, as in the checked-in statement.
 */
export function capabilityStatement(baseUrl: string, oauth: OAuthEndpoints = { token: `${serverRoot(baseUrl)}/dev/token` }): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: SOFTWARE.releaseDate,
    publisher: 'dmp-fhir-server',
    kind: 'instance',
    software: { name: SOFTWARE.name, version: SOFTWARE.version, releaseDate: SOFTWARE.releaseDate },
    implementation: { description: "FHIR R4 server of France's Dossier Médical Partagé", url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    patchFormat: ['application/json-patch+json'],
    rest: [
      {
        mode: 'server',
        documentation: 'All resource endpoints need a bearer token; see the README.',
        security: security(oauth),
        resource: [...REGISTRY.keys()].map(resource),
        interaction: [
          { code: 'transaction', documentation: 'All or nothing; IHE MHD ITI-65 Provide Document Bundle.' },
          { code: 'batch', documentation: 'Each entry answered on its own; one AuditEvent for the Bundle.' },
        ],
      },
    ],
  };
}
