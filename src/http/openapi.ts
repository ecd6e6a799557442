import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { Config } from '../config.js';
import { REGISTRY } from '../fhir/registry.js';
import { SOFTWARE } from '../fhir/capability.js';

/** The OpenAPI 3 document: one tag per supported type, from the registry. */
export function openApiOptions(config: Config): FastifyDynamicSwaggerOptions {
  const server = new URL(config.baseUrl);
  return {
    openapi: {
      info: {
        title: 'dmp-fhir-server',
        description: "FHIR R4 API of France's Dossier Médical Partagé. Bodies are FHIR JSON (application/fhir+json).",
        version: SOFTWARE.version,
      },
      servers: [{ url: server.origin }],
      tags: [
        { name: 'System', description: 'Capabilities of the server' },
        ...[...REGISTRY.values()].map((info) => ({ name: info.type, description: info.documentation })),
      ],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearer: [] }],
    },
  };
}
