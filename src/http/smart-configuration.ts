import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { smartConfiguration } from '../fhir/smart.js';

/** `GET /fhir/.well-known/smart-configuration`, public (D2): computed once, from the configuration. */
export function registerSmartConfiguration(app: FastifyInstance, config: Config): void {
  const document = smartConfiguration(config);
  app.get(
    '/fhir/.well-known/smart-configuration',
    { schema: { tags: ['Authentication'], summary: 'SMART App Launch discovery: token endpoint, keys, scopes' } },
    async (_request, reply) => reply.header('cache-control', 'public, max-age=300').type('application/json').send(document),
  );
}
