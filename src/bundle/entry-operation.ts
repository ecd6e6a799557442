import type { Resource } from 'fhir/r4';
import { badRequest, notFound } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import { versionFromEtag } from '../http/versions.js';
import type { QueryPairs } from '../interactions/context.js';
import type { ResourceBody } from '../interactions/resource-body.js';
import type { EntryInput } from './read-bundle.js';

/**
 * What one entry asks, from `request.method` and `request.url` (relative to the base, or absolute on
 * this server's base), as the interaction a single request to that URL would run.
 */
export type EntryOperation =
  | { kind: 'create'; type: string; body: ResourceBody; ifNoneExist?: string }
  | { kind: 'update'; type: string; id: string; body: ResourceBody; ifMatch?: number }
  | { kind: 'conditional-update'; type: string; query: string; body: ResourceBody; ifMatch?: number }
  | { kind: 'patch'; type: string; id?: string; query?: string; patch: Resource; ifMatch?: number }
  | { kind: 'delete'; type: string; id?: string; query?: string; ifMatch?: number }
  | { kind: 'read'; type: string; id: string; head: boolean }
  | { kind: 'vread'; type: string; id: string; vid: string; head: boolean }
  | { kind: 'search'; type: string; pairs: QueryPairs; head: boolean };

export type WriteKind = 'create' | 'update' | 'conditional-update' | 'patch' | 'delete';

export function isWrite(op: EntryOperation): op is Extract<EntryOperation, { kind: WriteKind }> {
  return op.kind !== 'read' && op.kind !== 'vread' && op.kind !== 'search';
}

/** The path segments and query of an entry's URL, made relative to this server's base. */
function splitUrl(url: string, baseUrl: string): { segments: string[]; query?: string } {
  let relative = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative)) {
    if (!relative.startsWith(`${baseUrl}/`)) throw badRequest('ENTRY_URL', `request.url "${url}" is not on this server (${baseUrl})`);
    relative = relative.slice(baseUrl.length + 1);
  }
  relative = relative.replace(/^\/+/, '');
  const cut = relative.indexOf('?');
  const path = cut >= 0 ? relative.slice(0, cut) : relative;
  const query = cut >= 0 ? relative.slice(cut + 1) : undefined;
  return { segments: path.split('/').filter(Boolean), ...(query !== undefined ? { query } : {}) };
}

function body(entry: EntryInput, type: string, method: string): ResourceBody {
  const parsed = entry.resource;
  if (!parsed) throw badRequest('ENTRY_RESOURCE_MISSING', `a ${method} entry carries the ${type} to write in entry.resource`);
  const value = parsed.value as Partial<Resource> | null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('INVALID_RESOURCE', 'entry.resource must be a JSON object');
  if (value.resourceType !== type) {
    throw badRequest('TYPE_MISMATCH', `entry.resource is a ${String(value.resourceType)} but request.url names ${type}`, ['resourceType']);
  }
  return { resource: value as Resource, parsed };
}

/** `ifNoneExist` is the query part of a URL; some clients send the whole `Type?query`. */
const criteriaOf = (value: string) => value.replace(/^[A-Za-z]*\?/, '');

const pairsOf = (query: string | undefined): QueryPairs => [...new URLSearchParams(query ?? '')].filter(([name]) => name !== '_format' && name !== '_pretty');

/** Parses an entry's request; a malformed one is that entry's 400 (404 for a type this server lacks). */
export function entryOperation(entry: EntryInput, baseUrl: string): EntryOperation {
  const { method, url } = entry.request;
  const { segments, query } = splitUrl(url, baseUrl);
  const [type, id, history, vid, ...rest] = segments;
  if (!type) throw badRequest('ENTRY_URL', `request.url "${url}" names no resource type (system-level requests are not supported in a Bundle)`);
  if (!isSupportedType(type)) throw notFound('UNSUPPORTED_TYPE', `resource type "${type}" is not supported by this server`);
  const ifMatch = entry.request.ifMatch !== undefined ? versionFromEtag(entry.request.ifMatch, 'request.ifMatch') : undefined;
  const withIfMatch = ifMatch !== undefined ? { ifMatch } : {};
  const unsupported = () => badRequest('ENTRY_URL', `${method} ${url} is not an interaction this server supports in a Bundle`);
  if (rest.length > 0 || (history !== undefined && (history !== '_history' || vid === undefined))) throw unsupported();
  if (id === '_search' || id?.startsWith('$') || id === '_history') throw unsupported();

  switch (method) {
    case 'POST':
      if (id !== undefined || query) throw unsupported();
      return { kind: 'create', type, body: body(entry, type, method), ...(entry.request.ifNoneExist ? { ifNoneExist: criteriaOf(entry.request.ifNoneExist) } : {}) };
    case 'PUT':
      if (vid !== undefined) throw unsupported();
      if (id !== undefined) return { kind: 'update', type, id, body: body(entry, type, method), ...withIfMatch };
      if (!query) throw badRequest('MISSING_CRITERIA', `PUT ${url}: an update names an id or search criteria`);
      return { kind: 'conditional-update', type, query, body: body(entry, type, method), ...withIfMatch };
    case 'PATCH':
    case 'DELETE': {
      if (vid !== undefined) throw unsupported();
      if (id === undefined && !query) throw badRequest('MISSING_CRITERIA', `${method} ${url}: name an id or search criteria`);
      const target = id !== undefined ? { id } : { query: query! };
      if (method === 'DELETE') return { kind: 'delete', type, ...target, ...withIfMatch };
      if (!entry.resource) throw badRequest('ENTRY_RESOURCE_MISSING', 'a PATCH entry carries its JSON Patch as a Binary in entry.resource');
      return { kind: 'patch', type, ...target, patch: entry.resource.value as Resource, ...withIfMatch };
    }
    case 'GET':
    case 'HEAD': {
      const head = method === 'HEAD';
      if (id === undefined) return { kind: 'search', type, pairs: pairsOf(query), head };
      return vid !== undefined ? { kind: 'vread', type, id, vid, head } : { kind: 'read', type, id, head };
    }
    default:
      throw unsupported();
  }
}
