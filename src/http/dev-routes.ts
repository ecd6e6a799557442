import type { FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { publishedJwks } from '../access/auth-mode.js';
import { TokenRequestError, mintDevToken, tokenOptionsFrom } from '../access/dev-token.js';
import type { Config } from '../config.js';
import { DEMO_IDENTITIES } from '../lifecycle/demo-identities.js';
import { badRequest, notFound } from '../fhir/errors.js';

/**
 * Token plumbing outside the FHIR scope, public by D2: `GET /.well-known/jwks.json` in every mode
 * (404 with a JWKS URL: the identity provider publishes its keys itself), and `POST /dev/token`
 * and `GET /dev/identities` (the demo people the web sign-in page lists, D27) in development mode
 * only (D4); in any other mode those routes do not exist.
 */
export function registerDevRoutes(app: FastifyInstance, config: Config, options: { clock?: () => Date } = {}): void {
  const clock = options.clock ?? (() => new Date());

  app.get('/.well-known/jwks.json', { schema: { tags: ['Authentication'], summary: 'Public keys that verify bearer tokens' } }, async (_request, reply) => {
    const jwks = await publishedJwks(config);
    if (!jwks) {
      const where = config.auth.mode === 'jwks-url' ? ` at ${config.auth.jwksUrl}` : '';
      throw notFound('JWKS_NOT_HERE', `this server verifies tokens with the identity provider's keys${where}`);
    }
    return reply.header('cache-control', 'public, max-age=300').type('application/json').send(jwks);
  });

  if (config.auth.mode !== 'development') return;

  app.get(
    '/dev/identities',
    { schema: { tags: ['Authentication'], summary: 'Development mode only: the demo identities and the token claims of each' } },
    async (_request, reply) => {
      const identities = DEMO_IDENTITIES.map(({ key, label, shows, claims }) => ({ key, label, shows, claims }));
      return reply.header('cache-control', 'no-store').type('application/json').send({ identities });
    },
  );

  app.post(
    '/dev/token',
    { schema: { tags: ['Authentication'], summary: 'Development mode only: a signed token for the given role and claims' } },
    async (request, reply) => {
      let accessToken: string;
      try {
        accessToken = await mintDevToken(config, tokenOptionsFrom(request.body), clock());
      } catch (err) {
        if (err instanceof TokenRequestError) throw badRequest('INVALID_TOKEN_REQUEST', err.message);
        throw err;
      }
      const { exp, iat } = decodeJwt(accessToken);
      // RFC 6749 §5.1: token responses are never cached.
      return reply
        .header('cache-control', 'no-store')
        .type('application/json')
        .send({ access_token: accessToken, token_type: 'Bearer', expires_in: exp! - iat! });
    },
  );
}
