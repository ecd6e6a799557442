import type { Resource } from 'fhir/r4';
import { extractIndex } from '../search/index-values.js';
import type { AccessFacts, StoredRow } from '../store/store.js';

/**
 * A new version of a resource as it will be stored: the client's resource with `id` and
 * `meta.versionId`/`meta.lastUpdated` set by the server, and its search index computed once here.
 */
export function buildRow(
  resource: Resource,
  id: string,
  versionId: number,
  at: Date,
  facts: (stamped: Resource) => AccessFacts = () => ({}),
): StoredRow {
  const lastUpdated = at.toISOString();
  const { resourceType, id: _ignored, meta, ...rest } = resource;
  const stamped = {
    resourceType,
    id,
    meta: { ...meta, versionId: String(versionId), lastUpdated },
    ...rest,
  } as Resource;
  return {
    type: resourceType,
    id,
    versionId,
    lastUpdated,
    deleted: false,
    resource: stamped,
    idx: extractIndex(stamped),
    sec: facts(stamped),
  };
}

/**
 * The version a delete writes: no resource, only the fact and the time of deletion. It keeps the
 * access facts of the version it deletes, so the deletion is visible exactly to those who saw it.
 */
export function buildTombstone(type: string, id: string, versionId: number, at: Date, sec: AccessFacts = {}): StoredRow {
  return { type, id, versionId, lastUpdated: at.toISOString(), deleted: true, idx: {}, sec };
}

/** A fresh server-assigned id: a UUID is a valid FHIR id and never collides across nodes. */
export function newId(): string {
  return crypto.randomUUID();
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function isValidId(id: string): boolean {
  return ID.test(id);
}
