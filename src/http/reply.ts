import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperationOutcome, Resource } from 'fhir/r4';
import { informational } from '../fhir/outcome.js';
import type { StoredRow } from '../store/store.js';
import { FHIR_JSON } from './media.js';
import { etag, httpDate } from './versions.js';

function contentType(request: FastifyRequest): string {
  return `${request.fhir?.contentType || FHIR_JSON}; charset=utf-8`;
}

/** Sends a FHIR JSON body (pretty-printed on `_pretty=true`). */
export function sendJson(request: FastifyRequest, reply: FastifyReply, status: number, body: Resource | OperationOutcome) {
  const text = request.fhir?.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body);
  return reply.code(status).header('content-type', contentType(request)).send(text);
}

/** Version headers of a stored row: ETag and Last-Modified. */
export function versionHeaders(reply: FastifyReply, row: StoredRow): void {
  reply.header('etag', etag(row.versionId)).header('last-modified', httpDate(row.lastUpdated));
}

/** The answer to a read or vread: the resource with its version headers. */
export function sendRow(request: FastifyRequest, reply: FastifyReply, row: StoredRow) {
  versionHeaders(reply, row);
  return sendJson(request, reply, 200, row.resource!);
}

/**
 * The answer to a write, shaped by `Prefer: return=`: the resource (default), nothing, or an
 * OperationOutcome. `Location` names the new version on create.
 */
export function sendWrite(
  request: FastifyRequest,
  reply: FastifyReply,
  baseUrl: string,
  row: StoredRow,
  status: number,
  message: string,
  options: { withoutBody?: boolean } = {},
) {
  versionHeaders(reply, row);
  const location = `${baseUrl}/${row.type}/${row.id}/_history/${row.versionId}`;
  reply.header('location', location).header('content-location', location);
  switch (options.withoutBody ? 'minimal' : request.fhir.prefer.return) {
    case 'minimal':
      return reply.code(status).send();
    case 'OperationOutcome':
      return sendJson(request, reply, status, informational(message));
    default:
      return sendJson(request, reply, status, row.resource!);
  }
}
