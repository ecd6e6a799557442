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

/** One FHIR path: its handlers per method, the other methods answered 405. */
function path(app: FastifyInstance, services: Services, url: string, tag: string, handlers: Partial<Record<HTTPMethods, [string, Handler]>>) {
  for (const [method, [summary, handler]] of Object.entries(handlers) as Array<[HTTPMethods, [string, Handler]]>) {
    const writes = method !== 'GET' && !url.endsWith('/_search');
    app.route({
      method,
      url,
      schema: { tags: [tag], summary },
      handler: (async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
        if (writes) assertClientWritable(tag);
        return handler(requestContext(services, request), request, reply);
      }) as RouteHandlerMethod,
    });
  }
  const others = ALL_METHODS.filter((m) => !(m in handlers));
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
      sendJson(request, reply, 200, await history(ctx, type, undefined, request.fhir.pairs))],
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
      sendJson(request, reply, 200, await history(ctx, type, request.params.id, request.fhir.pairs))],
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
  const narrow = await ctx.guard?.searchNarrow(type, pairs, compartment);
  return searchType(ctx, type, pairs, { lenient, ...(narrow ? { narrow } : {}), ...(compartment ? { compartment } : {}) });
}

/** The interactions' view of one request: the services and the caller's access guard. */
function requestContext(services: Services, request: FastifyRequest): RequestContext {
  if (!services.access) throw new Error('the access pipeline is not configured');
  return { services, baseUrl: services.config.baseUrl, guard: createRequestGuard(services.store, services.access, accessOf(request)) };
}

export function registerTypeRoutes(app: FastifyInstance, services: Services): void {
  for (const info of REGISTRY.values()) registerType(app, services, info);
}

