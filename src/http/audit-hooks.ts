import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditInteraction } from '../audit/codes.js';
import { createAuditRecorder, type AuditRecorder } from '../audit/recorder.js';
import { toOutcome } from '../fhir/outcome.js';
import type { Services } from '../interactions/context.js';
import { PUBLIC_FHIR_PATHS } from './auth.js';
import { FHIR_JSON } from './media.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's trace (one AuditEvent per request, D25). */
    audit?: AuditRecorder;
    /** The error the request failed with, for the trace's outcome and rule. */
    auditError?: unknown;
  }
  interface FastifyContextConfig {
    /** The RESTful interaction a route performs, recorded in its AuditEvent. */
    interaction?: AuditInteraction;
  }
}

/** Headers that describe a success and must not go out with the 500 of a failed trace. */
const SUCCESS_HEADERS = ['etag', 'last-modified', 'location', 'content-location'];

export function auditRecorder(services: Services, request: FastifyRequest): AuditRecorder {
  if (!request.audit) {
    request.audit = createAuditRecorder({
      store: services.store,
      clock: services.clock,
      baseUrl: services.config.baseUrl,
      ...(request.access ? { access: request.access } : {}),
      client: { address: request.ip, ...(request.access?.clientId ? { clientId: request.access.clientId } : {}) },
      interaction: request.routeOptions.config?.interaction ?? 'operation',
    });
  }
  return request.audit;
}

/**
 * Every request of the FHIR scope but the public ones leaves one AuditEvent, success, refusal or
 * authentication failure. It is written (awaited) in `onSend`, before any byte of the answer
 * leaves: when the trace cannot be written, the answer becomes a 500 and nothing is returned.
 */
export function registerAudit(app: FastifyInstance, services: Services): void {
  const publicRoutes = new Set(PUBLIC_FHIR_PATHS.map((path) => `${app.prefix}${path}`));
  app.decorateRequest('audit', undefined);
  app.decorateRequest('auditError', undefined);
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const route = request.routeOptions.url;
    if (route !== undefined && publicRoutes.has(route)) return payload;
    try {
      const failed = request.auditError !== undefined || reply.statusCode >= 400;
      await auditRecorder(services, request).finish(failed ? (reply.statusCode >= 500 ? '8' : '4') : '0', request.auditError);
      return payload;
    } catch (err) {
      request.log.error({ err }, 'the audit trace could not be written: the answer is withheld');
      for (const header of SUCCESS_HEADERS) reply.removeHeader(header);
      const { status, outcome } = toOutcome(err);
      reply.code(status >= 500 ? status : 500).header('content-type', `${FHIR_JSON}; charset=utf-8`);
      return JSON.stringify(outcome);
    }
  });
}
