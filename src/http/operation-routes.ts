import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { createRequestGuard } from '../access/request-guard.js';
import { createAuditRecorder } from '../audit/recorder.js';
import { badRequest } from '../fhir/errors.js';
import { REGISTRY } from '../fhir/registry.js';
import { accessReport } from '../interactions/access-report.js';
import type { QueryPairs, RequestContext, Services } from '../interactions/context.js';
import { everything } from '../interactions/everything.js';
import { validateOperation } from '../interactions/validate-operation.js';
import { parseFhirJson } from '../validation/parse-json.js';
import { accessOf } from './auth.js';
import { wrongMethod } from './error-handler.js';
import { sendJson } from './reply.js';
import { resourceBody } from './request-body.js';

/**
 * The FHIR operations: `$validate` on every type (D12), `Patient/[id]/$everything` (R7.4, D14) and
 * `DocumentReference/[id]/$access` (D28). Their static last segment wins over `/:id` and
 * `/Patient/:id/:compartment` in the router whatever the registration order. Each request is traced
 * as the `operation` interaction with the operation's name.
 */

type Params = { id?: string };
type Handler = (ctx: RequestContext, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<unknown>;

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The request's context, its trace naming the operation (`type-routes.ts` builds the same for the RESTful interactions). */
function operationContext(services: Services, request: FastifyRequest, operation: string): RequestContext {
  if (!services.access) throw new Error('the access pipeline is not configured');
  const audit = (request.audit ??= createAuditRecorder({
    store: services.store,
    clock: services.clock,
    baseUrl: services.config.baseUrl,
    ...(request.access ? { access: request.access } : {}),
    client: { address: request.ip, ...(request.access?.clientId ? { clientId: request.access.clientId } : {}) },
    interaction: 'operation',
    operation,
  }));
  // A refusal that fails the request is traced from its error; one $everything steps over (a type the
  // role never reads) is not the request's outcome, so only granted decisions are recorded here.
  const guard = createRequestGuard(services.store, services.access, accessOf(request), (decision) => {
    if (decision.verdict.kind !== 'reject') audit.access(decision);
  });
  return { services, baseUrl: services.config.baseUrl, guard, audit };
}

function operation(app: FastifyInstance, services: Services, url: string, tag: string, name: string, handlers: Partial<Record<HTTPMethods, [string, Handler]>>): void {
  for (const [method, [summary, handler]] of Object.entries(handlers) as Array<[HTTPMethods, [string, Handler]]>) {
    app.route({
      method,
      url,
      config: { interaction: 'operation' },
      schema: { tags: [tag], summary },
      handler: (async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) =>
        handler(operationContext(services, request, name), request, reply)) as RouteHandlerMethod,
    });
  }
  const others = ALL_METHODS.filter((m) => !(m in handlers));
  app.route({ method: others, url, schema: { hide: true }, handler: wrongMethod });
}

function lenient(request: FastifyRequest): boolean {
  return request.fhir.prefer.handling === 'lenient';
}

/**
 * A POSTed operation's input Parameters as pairs, after the query string's: primitive values as
 * written, an Identifier as `system|value`. An empty body adds nothing.
 */
function parameterPairs(request: FastifyRequest): QueryPairs {
  const body = resourceBody(request);
  if (!body || body.length === 0) return request.fhir.pairs;
  const value = parseFhirJson(body).value as { resourceType?: unknown; parameter?: unknown };
  if (value.resourceType !== 'Parameters') throw badRequest('TYPE_MISMATCH', 'the body of an operation is a Parameters resource', ['resourceType']);
  const pairs: QueryPairs = [...request.fhir.pairs];
  for (const p of Array.isArray(value.parameter) ? value.parameter : []) {
    if (typeof p?.name !== 'string') continue;
    for (const [key, v] of Object.entries(p as Record<string, unknown>)) {
      if (!key.startsWith('value')) continue;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') pairs.push([p.name, String(v)]);
      else if (key === 'valueIdentifier' && v && typeof v === 'object') {
        const { system, value: id } = v as { system?: string; value?: string };
        if (id) pairs.push([p.name, system ? `${system}|${id}` : id]);
      }
    }
  }
  return pairs;
}

/** The `practitioner` values of `$access`, repeated or comma-separated. */
function practitioners(pairs: QueryPairs): string[] {
  return pairs.filter(([name]) => name === 'practitioner').flatMap(([, value]) => value.split(',')).filter((v) => v.trim() !== '');
}

export function registerOperationRoutes(app: FastifyInstance, services: Services): void {
  for (const { type } of REGISTRY.values()) {
    const validate: Handler = async (_ctx, request, reply) =>
      sendJson(request, reply, 200, validateOperation(type, request.params.id, resourceBody(request)));
    operation(app, services, `/${type}/$validate`, type, '$validate', { POST: [`Validate a ${type} (base R4 and its profiles)`, validate] });
    operation(app, services, `/${type}/:id/$validate`, type, '$validate', { POST: [`Validate a ${type} meant for this id`, validate] });
  }

  const everythingOf: Handler = async (ctx, request, reply) => {
    const pairs = request.method === 'POST' ? parameterPairs(request) : request.fhir.pairs;
    return sendJson(request, reply, 200, await everything(ctx, request.params.id!, pairs, { lenient: lenient(request) }));
  };
  operation(app, services, '/Patient/:id/$everything', 'Patient', '$everything', {
    GET: ["Everything of one patient's record the caller may see (paged)", everythingOf],
    POST: ["Everything of one patient's record the caller may see (Parameters body)", everythingOf],
  });

  const accessOfDocument: Handler = async (ctx, request, reply) => {
    const pairs = request.method === 'POST' ? parameterPairs(request) : request.fhir.pairs;
    const unknown = pairs.find(([name]) => name !== 'practitioner');
    if (unknown && !lenient(request)) {
      throw badRequest('UNKNOWN_PARAMETER', `$access does not support the parameter "${unknown[0]}" (supported: practitioner)`, [unknown[0]]);
    }
    return sendJson(request, reply, 200, await accessReport(ctx, request.params.id!, practitioners(pairs)));
  };
  operation(app, services, '/DocumentReference/:id/$access', 'DocumentReference', '$access', {
    GET: ['Who can see this document, and by which rule (D28)', accessOfDocument],
    POST: ['Who can see this document, and by which rule (D28; Parameters body)', accessOfDocument],
  });
}
