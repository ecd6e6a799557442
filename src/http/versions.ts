import { badRequest } from '../fhir/errors.js';

/** `W/"3"` — the weak ETag of a version. */
export function etag(versionId: number): string {
  return `W/"${versionId}"`;
}

/** The version named by an `If-Match` / `If-None-Match` value (`W/"3"`, `"3"` or `3`). */
export function versionFromEtag(header: string, name: string): number {
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  if (!match) throw badRequest('INVALID_HEADER', `${name} must name a version, e.g. W/"3"; got ${JSON.stringify(header)}`);
  return Number(match[1]);
}

/** HTTP-date of an ISO instant, for `Last-Modified`. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
