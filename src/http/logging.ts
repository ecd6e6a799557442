import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import type { FastifyServerOptions } from 'fastify';

/** An incoming X-Request-Id is kept only when it cannot smuggle anything into a log line. */
const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** The caller's X-Request-Id when well formed, a fresh UUID otherwise. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && WELL_FORMED_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * The path and the names of query parameters, never their values: FHIR searches carry names, INS and
 * birth dates (`Patient?identifier=…`), which are health data that must stay out of logs.
 */
export function loggablePath(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const names = [...new URLSearchParams(url.slice(mark + 1)).keys()];
  return `${url.slice(0, mark)}${names.length ? `?${[...new Set(names)].join('&')}` : ''}`;
}

export interface LoggerSettings {
  level: string;
  /** Where log lines go (tests capture them); stdout otherwise. */
  stream?: DestinationStream;
}

/**
 * Fastify's pino logger with request ids (Fastify's default `reqId` label) and serializers that keep PHI out: request lines
 * carry method, path and query parameter names only, never headers (Authorization) nor bodies.
 */
export function loggerOptions(settings: LoggerSettings | false): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader'> & { logger: FastifyServerOptions['logger'] } {
  return {
    // requestIdHeader stays off: Fastify would take any header value as is; genReqId validates it.
    requestIdHeader: false,
    genReqId: requestId,
    logger:
      settings === false
        ? false
        : {
            level: settings.level,
            ...(settings.stream ? { stream: settings.stream } : {}),
            serializers: {
              req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: loggablePath(req.url), remoteAddress: req.ip }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            redact: { paths: ['req.headers', 'headers.authorization', 'authorization', 'body'], remove: true },
          },
  };
}

