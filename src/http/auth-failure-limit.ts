import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { tooManyRequests } from '../fhir/errors.js';

/** Counts one failed authentication of the request's client; resolves to a 429 once over the limit. */
export type AuthFailureCounter = (request: FastifyRequest) => Promise<Error | undefined>;

/**
 * Failed authentications per client address and minute (`AUTH_FAILURE_RATE_LIMIT`). Only failures
 * are counted, so a busy client with a valid token is never slowed down; past the limit a failure
 * answers 429 with Retry-After instead of 401. Counters live in process memory: each node of a
 * cluster limits on its own, which is enough to blunt token guessing and log flooding.
 */
export async function registerAuthFailureLimit(app: FastifyInstance, perMinute: number): Promise<AuthFailureCounter> {
  await app.register(rateLimit, { global: false });
  const limiter = app.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip });
  return async (request) => {
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return undefined;
    return tooManyRequests('TOO_MANY_AUTH_FAILURES', `too many failed authentications from this client; retry in ${result.ttlInSeconds} s`, result.ttlInSeconds);
  };
}
