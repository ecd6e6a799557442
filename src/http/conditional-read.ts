import type { FastifyRequest } from 'fastify';
import type { StoredRow } from '../store/store.js';
import { versionFromEtag } from './versions.js';

/**
 * Whether a read may answer 304: `If-None-Match` naming the current version, or (without it)
 * `If-Modified-Since` not older than the last change (HTTP dates have second precision).
 */
export function notModified(request: FastifyRequest, row: StoredRow): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch) {
    if (ifNoneMatch.trim() === '*') return true;
    return ifNoneMatch.split(',').some((tag) => /\d/.test(tag) && versionFromEtag(tag, 'If-None-Match') === row.versionId);
  }
  const since = request.headers['if-modified-since'];
  if (since) {
    const when = Date.parse(since);
    if (Number.isNaN(when)) return false;
    return Math.floor(Date.parse(row.lastUpdated) / 1000) * 1000 <= when;
  }
  return false;
}
