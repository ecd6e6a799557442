import { STATUS_CODES } from 'node:http';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { fullUrl } from '../fhir/bundle.js';
import type { FhirError } from '../fhir/errors.js';
import { informational, operationOutcome } from '../fhir/outcome.js';
import type { StoredRow } from '../store/store.js';

/** How write entries answer: `Prefer: return=` of the request, and never a body for a delegate (R8.2). */
export interface ResponseOptions {
  /**
   * Bundles answer `minimal` unless the client asks for `representation`: echoing every resource of
   * a 3,000-entry ITI-65 would double the traffic for what the client just sent.
   */
  prefer?: 'minimal' | 'representation' | 'OperationOutcome';
  withoutBody?: boolean;
}

const statusLine = (status: number) => `${status} ${STATUS_CODES[status] ?? ''}`.trim();

function versioned(row: StoredRow) {
  return {
    location: `${row.type}/${row.id}/_history/${row.versionId}`,
    etag: `W/"${row.versionId}"`,
    lastModified: row.lastUpdated,
  };
}

/** A create, update or patch: status, location, etag, lastModified, and the resource per Prefer. */
export function writeResponse(baseUrl: string, row: StoredRow, status: 200 | 201, options: ResponseOptions): BundleEntry {
  const prefer = options.withoutBody ? 'minimal' : options.prefer;
  return {
    fullUrl: fullUrl(baseUrl, row.type, row.id),
    ...(prefer === 'representation' && row.resource ? { resource: row.resource as FhirResource } : {}),
    response: {
      status: statusLine(status),
      ...versioned(row),
      ...(prefer === 'OperationOutcome' ? { outcome: informational(`${row.type}/${row.id} ${status === 201 ? 'created' : 'updated'}`) } : {}),
    },
  };
}

/** A delete: the tombstone's version, or nothing when there was nothing to delete. */
export function deleteResponse(versionId: number | undefined): BundleEntry {
  return { response: { status: statusLine(200), ...(versionId !== undefined ? { etag: `W/"${versionId}"` } : {}) } };
}

/** A read or vread: the resource (none for HEAD) with its version. */
export function readResponse(baseUrl: string, row: StoredRow, head: boolean): BundleEntry {
  return {
    fullUrl: fullUrl(baseUrl, row.type, row.id),
    ...(!head ? { resource: row.resource as FhirResource } : {}),
    response: { status: statusLine(200), etag: `W/"${row.versionId}"`, lastModified: row.lastUpdated },
  };
}

export function searchResponse(result: Bundle, head: boolean): BundleEntry {
  return { ...(!head ? { resource: result } : {}), response: { status: statusLine(200) } };
}

/** A failed batch entry: its status and OperationOutcome. */
export function errorResponse(error: FhirError): BundleEntry {
  return { response: { status: statusLine(error.status), outcome: operationOutcome(error.issues) } };
}

export const isFailure = (entry: BundleEntry) => !/^2/.test(entry.response?.status ?? '');
