import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import type { Config } from '../config.js';

/**
 * Helmet's defaults on every answer (the docs page and the web front-end load only their own scripts
 * and styles), except that the web front-end shows a document it fetched as a `blob:` URL (image,
 * PDF frame). CORS only for the origins of `CORS_ORIGINS`: unset, the
 * server sends no Access-Control-* header and browsers keep other origins out.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'frame-src': ["'self'", 'blob:'] } },
  });
  if (config.corsOrigins.length === 0) return;
  await app.register(cors, {
    origin: config.corsOrigins[0] === '*' ? '*' : config.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'If-Match', 'If-None-Match', 'If-None-Exist', 'If-Modified-Since', 'Prefer', 'X-Request-Id'],
    exposedHeaders: ['Location', 'Content-Location', 'ETag', 'Last-Modified', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
}
