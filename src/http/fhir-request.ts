import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { QueryPairs } from '../interactions/context.js';
import { negotiate } from './media.js';
import { parsePrefer, type Preferences } from './prefer.js';

/** What every FHIR route needs from the HTTP request, worked out once in `onRequest`. */
export interface FhirRequest {
  /** The query string as ordered pairs, without `_format` and `_pretty` (HTTP-level only). */
  pairs: QueryPairs;
  /** The raw query string, for conditional interactions' criteria. */
  query: string;
  /** Media type of the answer. */
  contentType: string;
  pretty: boolean;
  prefer: Preferences;
}

declare module 'fastify' {
  interface FastifyRequest {
    fhir: FhirRequest;
  }
}

const HTTP_LEVEL = new Set(['_format', '_pretty']);

function describe(request: FastifyRequest): FhirRequest {
  const q = request.url.indexOf('?');
  const all = [...new URLSearchParams(q >= 0 ? request.url.slice(q + 1) : '')];
  const pairs = all.filter(([name]) => !HTTP_LEVEL.has(name));
  return {
    pairs,
    query: new URLSearchParams(pairs).toString(),
    pretty: all.find(([name]) => name === '_pretty')?.[1] === 'true',
    prefer: parsePrefer(request.headers.prefer),
    contentType: '',
  };
}

/** Decorates every request of the FHIR scope; a failed negotiation is answered 406 in JSON. */
export function registerFhirRequest(app: FastifyInstance): void {
  app.decorateRequest('fhir', null as unknown as FhirRequest);
  app.addHook('onRequest', async (request) => {
    request.fhir = describe(request);
    const format = new URLSearchParams(request.url.split('?')[1] ?? '').get('_format') ?? undefined;
    request.fhir.contentType = negotiate(format, request.headers.accept);
  });
}
