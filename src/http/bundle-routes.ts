import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditInteraction, MhdTransaction } from '../audit/codes.js';
import { createAuditRecorder, DEFAULT_MAX_ENTITIES } from '../audit/recorder.js';
import { isProvideDocumentBundle } from '../bundle/mhd.js';
import { readRequestBundle } from '../bundle/read-bundle.js';
import { batch } from '../interactions/batch.js';
import type { Services } from '../interactions/context.js';
import { transaction } from '../interactions/transaction.js';
import { sendJson } from './reply.js';
import { resourceBody } from './request-body.js';
import { requestContext } from './type-routes.js';

/**
 * `POST [base]`: a `transaction` or `batch` Bundle (https://hl7.org/fhir/R4/http.html#transaction).
 * Registered inside the `/fhir` scope, so authentication and the one-AuditEvent-per-request hook
 * apply as on every route; the trace names `transaction` or `batch`, and ITI-65 for an IHE MHD
 * Provide Document Bundle.
 */
export function registerBundleRoutes(fhir: FastifyInstance, services: Services): void {
  fhir.route({
    method: 'POST',
    url: '/',
    // what a request whose body cannot be read is traced as; a readable one says which it is
    config: { interaction: 'transaction' },
    schema: { tags: ['System'], summary: 'Process a transaction or batch Bundle (IHE MHD ITI-65 included)' },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const bundle = readRequestBundle(resourceBody(request));
      const mhd = bundle.type === 'transaction' && isProvideDocumentBundle(bundle.entries);
      traceAs(services, request, bundle.type, bundle.entries.length, mhd ? 'ITI-65' : undefined);
      const ctx = requestContext(services, request);
      const options = {
        ...(request.fhir.prefer.return ? { prefer: request.fhir.prefer.return } : {}),
        // R8.2: a delegate never reads, not even what it has just written
        withoutBody: ctx.guard?.caller.role === 'delegate',
      };
      const result = bundle.type === 'transaction' ? await transaction(ctx, bundle, { ...options, mhd }) : await batch(ctx, bundle, options);
      return sendJson(request, reply, 200, result);
    },
  });
}

/**
 * Starts this request's trace as a transaction or a batch (and an MHD transaction): known only once
 * the body is read, after the route's default was fixed. Must run before `requestContext`, which
 * otherwise starts it with the route's default. The options are those of `auditRecorder`
 * (audit-hooks.ts) plus these three.
 */
function traceAs(services: Services, request: FastifyRequest, interaction: AuditInteraction, entries: number, mhd?: MhdTransaction): void {
  request.audit = createAuditRecorder({
    store: services.store,
    clock: services.clock,
    baseUrl: services.config.baseUrl,
    ...(request.access ? { access: request.access } : {}),
    client: { address: request.ip, ...(request.access?.clientId ? { clientId: request.access.clientId } : {}) },
    interaction,
    ...(mhd ? { mhd } : {}),
    // D25: the one event of a Bundle lists every entry, beyond the usual cap of a search's results
    maxEntities: DEFAULT_MAX_ENTITIES + entries,
  });
}
