import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccessContext } from '../access/access-context.js';
import type { TokenVerifier } from '../access/token-verifier.js';
import { FhirError, unauthorized } from '../fhir/errors.js';
import type { AuthFailureCounter } from './auth-failure-limit.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `registerAuth` on every non-public route of its scope; read it with `accessOf`. */
    access?: AccessContext;
  }
}

/** Routes of the FHIR scope open without a token (D2), relative to the scope's prefix. */
export const PUBLIC_FHIR_PATHS = ['/metadata', '/.well-known/smart-configuration', '/openapi.json'];

/** RFC 6750 `b64token`; tokens in the query string are not accepted (they end up in logs). */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw unauthorized('MISSING_TOKEN', 'this endpoint needs a token: send "Authorization: Bearer <token>"');
  }
  const match = BEARER.exec(header);
  if (!match) throw unauthorized('INVALID_TOKEN', 'the Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/**
 * Verifies the bearer token of every request of the scope it is registered in, before the body is
 * read, and sets `request.access`. Public paths are matched on the route that was found, not on the
 * raw URL, so neither a query string nor a trailing slash nor an unknown path can slip through.
 */
export function registerAuth(app: FastifyInstance, verifier: TokenVerifier, countFailure?: AuthFailureCounter): void {
  const publicRoutes = new Set(PUBLIC_FHIR_PATHS.map((path) => `${app.prefix}${path}`));
  if (!app.hasRequestDecorator('access')) app.decorateRequest('access', undefined);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route !== undefined && publicRoutes.has(route)) return;
    try {
      request.access = await verifier.verify(bearerToken(request.headers.authorization));
    } catch (err) {
      // Only failed authentications count towards the per-client limit (429 past it).
      if (countFailure && err instanceof FhirError && err.status === 401) throw (await countFailure(request)) ?? err;
      throw err;
    }
  });
}

/** The caller of an authenticated route; a route reached without `registerAuth` fails closed (401). */
export function accessOf(request: FastifyRequest): AccessContext {
  if (!request.access) throw unauthorized('MISSING_TOKEN', 'this endpoint needs a verified token');
  return request.access;
}
