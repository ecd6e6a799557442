import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { REGISTRY } from './registry.js';
import { searchParametersFor } from '../search/definitions.js';

/** Bumped with each release whose API surface changes; the checked-in statement shows the change. */
export const SOFTWARE = { name: 'dmp-fhir-server', version: '0.1.0', releaseDate: '2026-11-23' };

function resource(type: string): CapabilityStatementRestResource {
  const info = REGISTRY.get(type as never)!;
  return {
    type,
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
  };
}

/** The CapabilityStatement at `/fhir/metadata`, generated from the registry and the search definitions. */
export function capabilityStatement(baseUrl: string): CapabilityStatement {
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
        resource: [...REGISTRY.keys()].map(resource),
      },
    ],
  };
}
