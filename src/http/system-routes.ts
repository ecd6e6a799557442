import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../fhir/errors.js';
import { capabilityStatement } from '../fhir/capability.js';
import { oauthEndpoints } from '../fhir/smart.js';
import { isSupportedType } from '../fhir/registry.js';
import type { Services } from '../interactions/context.js';
import { sendJson } from './reply.js';

/** `/fhir/metadata` and the catch-all that names an unsupported resource type. */
export function registerSystemRoutes(app: FastifyInstance, services: Services): void {
  const statement = capabilityStatement(services.config.baseUrl, oauthEndpoints(services.config));
  app.get('/metadata', { schema: { tags: ['System'], summary: 'The CapabilityStatement of this server' } }, (request, reply) =>
    sendJson(request, reply, 200, statement),
  );
  const unsupported = async (request: FastifyRequest) => {
    const { type } = request.params as { type: string };
    if (isSupportedType(type)) throw notFound('UNKNOWN_ROUTE', `no such interaction on ${type}`);
    throw notFound('UNSUPPORTED_TYPE', `resource type "${type}" is not supported by this server`);
  };
  app.all('/:type', { schema: { hide: true } }, unsupported);
  app.all('/:type/*', { schema: { hide: true } }, unsupported);
}

/** `/healthz` (the process answers) and `/readyz` (the store answers too), outside `/fhir`. */
export function registerHealthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await services.store.ping();
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'store unavailable' });
    }
  });
}
