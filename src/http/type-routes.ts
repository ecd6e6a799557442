import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods, RouteHandlerMethod } from 'fastify';
import { REGISTRY, isSupportedType, type TypeInfo } from '../fhir/registry.js';
import { notFound } from '../fhir/errors.js';
import type { QueryPairs, RequestContext, Services } from '../interactions/context.js';
import { conditionalDelete, remove } from '../interactions/delete.js';
import { create } from '../interactions/create.js';
import { history } from '../interactions/history.js';
import { parsePatch, patch } from '../interactions/patch.js';
import { read } from '../interactions/read.js';
import { assertClientWritable, readResourceBody } from '../interactions/resource-body.js';
import { createRequestGuard } from '../access/request-guard.js';
import { accessOf } from './auth.js';
import { searchType } from '../interactions/search.js';
import { conditionalUpdate, update } from '../interactions/update.js';
import { vread } from '../interactions/vread.js';
import { informational } from '../fhir/outcome.js';
import { notModified } from './conditional-read.js';
import { wrongMethod } from './error-handler.js';
import { sendJson, sendRow, sendWrite, versionHeaders } from './reply.js';
import { patchBody, resourceBody, searchFormPairs } from './request-body.js';
import { versionFromEtag } from './versions.js';
import { auditRecorder } from './audit-hooks.js';
import { bundleRows } from './bundle-rows.js';
import type { AuditInteraction } from '../audit/codes.js';
import type { Interaction } from '../fhir/registry.js';
import { searchTargets } from '../access/search-targets.js';

type Params = { id: string; vid: string; compartment: string };
type Handler = (ctx: RequestContext, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => Promise<unknown>;

const ALL_METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  return header ? versionFromEtag(header, 'If-Match') : undefined;
}

function lenient(request: FastifyRequest): boolean {
  return request.fhir.prefer.handling === 'lenient';
}

/** The RESTful interaction a route performs, from its method and path. */
function interactionOf(method: HTTPMethods, url: string): AuditInteraction & Interaction {
  if (url.endsWith('/_search') || url.endsWith('/:compartment')) return 'search-type';
  if (url.endsWith('/_history/:vid')) return 'vread';
  if (url.endsWith('/:id/_history')) return 'history-instance';
  if (url.endsWith('/_history')) return 'history-type';
  const instance = url.endsWith('/:id');
  const byMethod: Record<string, AuditInteraction & Interaction> = {
    GET: instance ? 'read' : 'search-type',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: 'delete',
  };
  return byMethod[method]!;
}

/** One FHIR path: its handlers per method (those the registry allows for the type), the other methods answered 405. */
function path(app: FastifyInstance, services: Services, url: string, tag: string, handlers: Partial<Record<HTTPMethods, [string, Handler]>>) {
  const allowed = REGISTRY.get(tag as never)!.interactions;
  const served: HTTPMethods[] = [];
  for (const [method, [summary, handler]] of Object.entries(handlers) as Array<[HTTPMethods, [string, Handler]]>) {
    const interaction = interactionOf(method, url);
    if (!allowed.includes(interaction)) continue;
    served.push(method);
    const writes = method !== 'GET' && !url.endsWith('/_search');
    app.route({
      method,
      url,
      config: { interaction },
      schema: { tags: [tag], summary },
      handler: (async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
        if (writes) assertClientWritable(tag);
        return handler(requestContext(services, request), request, reply);
      }) as RouteHandlerMethod,
    });
  }
  const others = ALL_METHODS.filter((m) => !served.includes(m));
  if (others.length) app.route({ method: others, url, schema: { hide: true }, handler: wrongMethod });
}

/** Every interaction of one resource type, under `/fhir`. */
function registerType(app: FastifyInstance, services: Services, { type }: TypeInfo): void {
  const base = `/${type}`;
  const created = (ctx: RequestContext, request: FastifyRequest, reply: FastifyReply, result: { row: Parameters<typeof sendWrite>[3]; created: boolean }) =>
    sendWrite(request, reply, ctx.baseUrl, result.row, result.created ? 201 : 200, result.created ? `${type} created` : `${type} updated`, {
      // R8.2: a delegate never reads, not even what it has just written.
      withoutBody: ctx.guard?.caller.role === 'delegate',
    });

  path(app, services, base, type, {
    GET: [`Search ${type}`, searchOf(type)],
    POST: [`Create a ${type}`, async (ctx, request, reply) => {
      const body = readResourceBody(type, resourceBody(request));
      const result = await create(ctx, type, body, request.headers['if-none-exist'] as string | undefined);
      return created(ctx, request, reply, result);
    }],
    PUT: [`Conditional update of a ${type}`, async (ctx, request, reply) => {
      const body = readResourceBody(type, resourceBody(request));
      return created(ctx, request, reply, await conditionalUpdate(ctx, type, request.fhir.query, body, ifMatch(request)));
    }],
    DELETE: [`Conditional delete of a ${type}`, async (ctx, request, reply) => {
      await conditionalDelete(ctx, type, request.fhir.query);
      return sendJson(request, reply, 200, informational(`conditional delete of ${type} done`));
    }],
  });
  path(app, services, `${base}/_search`, type, {
    POST: [`Search ${type} (form body)`, async (ctx, request, reply) => {
      const pairs = searchFormPairs(request);
      return sendJson(request, reply, 200, await search(ctx, type, pairs, lenient(request)));
    }],
  });
  path(app, services, `${base}/_history`, type, {
    GET: [`History of all ${type} resources`, async (ctx, request, reply) =>
      sendJson(request, reply, 200, traced(ctx, await history(ctx, type, undefined, request.fhir.pairs)))],
  });
  path(app, services, `${base}/:id`, type, {
    GET: [`Read a ${type}`, async (ctx, request, reply) => {
      const row = await read(ctx, type, request.params.id);
      if (notModified(request, row)) {
        versionHeaders(reply, row);
        return reply.code(304).send();
      }
      return sendRow(request, reply, row);
    }],
    PUT: [`Update (or create with this id) a ${type}`, async (ctx, request, reply) => {
      const body = readResourceBody(type, resourceBody(request));
      return created(ctx, request, reply, await update(ctx, type, request.params.id, body, ifMatch(request)));
    }],
    PATCH: [`Patch a ${type} (JSON Patch)`, async (ctx, request, reply) => {
      const ops = parsePatch(patchBody(request));
      return created(ctx, request, reply, await patch(ctx, type, request.params.id, ops, ifMatch(request)));
    }],
    DELETE: [`Delete a ${type}`, async (ctx, request, reply) => {
      const { versionId } = await remove(ctx, type, request.params.id, ifMatch(request));
      if (versionId !== undefined) reply.header('etag', `W/"${versionId}"`);
      return sendJson(request, reply, 200, informational(versionId ? `${type}/${request.params.id} deleted` : `${type}/${request.params.id} was already deleted`));
    }],
  });
  path(app, services, `${base}/:id/_history`, type, {
    GET: [`History of one ${type}`, async (ctx, request, reply) =>
      sendJson(request, reply, 200, traced(ctx, await history(ctx, type, request.params.id, request.fhir.pairs)))],
  });
  path(app, services, `${base}/:id/_history/:vid`, type, {
    GET: [`Read one version of a ${type}`, async (ctx, request, reply) =>
      sendRow(request, reply, await vread(ctx, type, request.params.id, request.params.vid))],
  });
  if (type === 'Patient') {
    path(app, services, `${base}/:id/:compartment`, type, {
      GET: [`Search a type in one Patient's compartment`, async (ctx, request, reply) => {
        const { id, compartment } = request.params;
        if (!isSupportedType(compartment)) throw notFound('UNSUPPORTED_TYPE', `resource type "${compartment}" is not supported by this server`);
        return sendJson(request, reply, 200, await search(ctx, compartment, request.fhir.pairs, lenient(request), { type: 'Patient', id }));
      }],
    });
  }
}

function searchOf(type: string): Handler {
  return async (ctx, request, reply) => sendJson(request, reply, 200, await search(ctx, type, request.fhir.pairs, lenient(request)));
}

/** A search narrowed by the caller's access rules (every query it runs). */
async function search(ctx: RequestContext, type: string, pairs: QueryPairs, lenient: boolean, compartment?: { type: 'Patient'; id: string }) {
  ctx.audit?.query(pairs);
  for (const holder of searchTargets(type, pairs, compartment) ?? []) ctx.audit?.patient(holder);
  const narrow = await ctx.guard?.searchNarrow(type, pairs, compartment);
  const bundle = await searchType(ctx, type, pairs, { lenient, ...(narrow ? { narrow } : {}), ...(compartment ? { compartment } : {}) });
  ctx.audit?.rows(bundleRows(bundle));
  return bundle;
}

/** The interactions' view of one request: the services and the caller's access guard. */
export function requestContext(services: Services, request: FastifyRequest): RequestContext {
  if (!services.access) throw new Error('the access pipeline is not configured');
  const audit = auditRecorder(services, request);
  const guard = createRequestGuard(services.store, services.access, accessOf(request), (decision) => audit.access(decision));
  return { services, baseUrl: services.config.baseUrl, guard, audit };
}

export function registerTypeRoutes(app: FastifyInstance, services: Services): void {
  for (const info of REGISTRY.values()) registerType(app, services, info);
}


/** Records the resources a Bundle returns in the request's trace. */
function traced<B extends Parameters<typeof bundleRows>[0]>(ctx: RequestContext, bundle: B): B {
  ctx.audit?.rows(bundleRows(bundle));
  return bundle;
}
