import type { FastifyInstance } from 'fastify';
import { BODY_TYPES } from './media.js';

/**
 * Bodies reach the interactions as raw bytes: FHIR's JSON rules (strict UTF-8, no duplicate keys,
 * integer literals, …) are checked on the text itself by `validation/parse-json.ts`.
 */
export function registerBodyParsers(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...BODY_TYPES, 'application/json+fhir'], { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });
}
