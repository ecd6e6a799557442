import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FhirError, badRequest, conflict, methodNotAllowed, notFound, payloadTooLarge, serviceUnavailable, unsupportedMediaType } from '../fhir/errors.js';
import { toOutcome } from '../fhir/outcome.js';
import { StoreUnavailableError, VersionConflictError } from '../store/store.js';
import { sendJson } from './reply.js';

/** Fastify's own client errors, as catalogue errors with the same status. */
function fromFastify(err: FastifyError): FhirError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return payloadTooLarge('the request body is larger than the server accepts (MAX_BODY_BYTES)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType('send application/fhir+json, application/json, application/json-patch+json (PATCH) or application/x-www-form-urlencoded (_search)');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new FhirError(err.statusCode, 'BAD_REQUEST', badRequest('BAD_REQUEST', err.message).issues);
  }
  return undefined;
}

function asFhirError(err: unknown): FhirError | undefined {
  if (err instanceof FhirError) return err;
  if (err instanceof StoreUnavailableError) return serviceUnavailable('the store is unavailable; try again shortly');
  if (err instanceof VersionConflictError) return conflict('VERSION_CONFLICT', err.message);
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' && err.code.startsWith('FST_')) {
    return fromFastify(err as FastifyError);
  }
  return undefined;
}

/** Every error leaves as an OperationOutcome; a 500 carries no message or stack. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    request.auditError = err;
    const known = asFhirError(err);
    if (!known) request.log.error({ err }, 'request failed');
    else if (known.status >= 500) request.log.warn({ err }, 'request failed');
    const { status, outcome, headers } = toOutcome(known ?? err);
    reply.headers(headers);
    return sendJson(request, reply, status, outcome);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, outcome } = toOutcome(notFound('UNKNOWN_ROUTE', `no route for ${request.method} ${request.url.split('?')[0]}`));
    return sendJson(request, reply, status, outcome);
  });
}

/** The handler of a known path called with a method it does not support. */
export async function wrongMethod(request: FastifyRequest): Promise<never> {
  throw methodNotAllowed(`${request.method} is not supported on ${request.url.split('?')[0]}`);
}
