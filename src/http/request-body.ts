import type { FastifyRequest } from 'fastify';
import { unsupportedMediaType } from '../fhir/errors.js';
import type { QueryPairs } from '../interactions/context.js';
import { FHIR_JSON, FORM, JSON_PATCH, mediaType } from './media.js';

/** The raw body of a resource write, after checking it is labelled as FHIR JSON. */
export function resourceBody(request: FastifyRequest): Buffer | undefined {
  const type = mediaType(request.headers['content-type']);
  if (request.body !== undefined && type !== FHIR_JSON && type !== 'application/json' && type !== 'application/json+fhir') {
    throw unsupportedMediaType(`a resource must be sent as ${FHIR_JSON}, not ${type ?? 'an unlabelled body'}`);
  }
  return request.body as Buffer | undefined;
}

/** The raw body of a PATCH: JSON Patch only. */
export function patchBody(request: FastifyRequest): Buffer | undefined {
  const type = mediaType(request.headers['content-type']);
  if (type !== JSON_PATCH) throw unsupportedMediaType(`PATCH takes ${JSON_PATCH} (JSON Patch); got ${type ?? 'no content type'}`);
  return request.body as Buffer | undefined;
}

/** `POST [type]/_search`: the form body's pairs after the URL's, as one query. */
export function searchFormPairs(request: FastifyRequest): QueryPairs {
  const body = request.body as Buffer | undefined;
  if (!body || body.length === 0) return request.fhir.pairs;
  if (mediaType(request.headers['content-type']) !== FORM) {
    throw unsupportedMediaType(`_search takes its parameters as ${FORM}`);
  }
  const form = [...new URLSearchParams(body.toString('utf8'))].filter(([name]) => name !== '_format' && name !== '_pretty');
  return [...request.fhir.pairs, ...form];
}
