import { currentToken } from './session-store.js';

/** Every call of the page goes through the public FHIR API, with the signed-in user's bearer token. */
export const FHIR_BASE = '/fhir';

/** A non-2xx answer of the FHIR API, with the OperationOutcome the server sent. */
export class FhirError extends Error {
  status: number;
  outcome?: fhir4.OperationOutcome;

  constructor(status: number, outcome?: fhir4.OperationOutcome, message?: string) {
    super(message ?? outcome?.issue?.[0]?.diagnostics ?? `HTTP ${status}`);
    this.name = 'FhirError';
    this.status = status;
    this.outcome = outcome;
  }
}

function url(path: string): string {
  return `${FHIR_BASE}/${path.replace(/^\/+/, '')}`;
}

function authHeaders(extra: Record<string, string> = {}): Record<string, string> {
  const token = currentToken();
  return { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra };
}

async function failure(response: Response): Promise<FhirError> {
  let outcome: fhir4.OperationOutcome | undefined;
  try {
    const body = (await response.json()) as { resourceType?: string };
    if (body?.resourceType === 'OperationOutcome') outcome = body as fhir4.OperationOutcome;
  } catch {
    // not JSON: the status alone says what happened
  }
  return new FhirError(response.status, outcome);
}

async function call(path: string, init: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url(path), init);
  } catch (err) {
    throw new FhirError(0, undefined, `le serveur est injoignable (${(err as Error).message})`);
  }
  if (!response.ok) throw await failure(response);
  return response;
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** GET a FHIR path relative to `/fhir`, e.g. `DocumentReference?patient=Patient/x`. */
export async function fhirGet<T>(path: string): Promise<T> {
  return json<T>(await call(path, { headers: authHeaders({ accept: 'application/fhir+json' }) }));
}

/** POST/PUT/PATCH/DELETE a FHIR path relative to `/fhir`; the body is sent as FHIR JSON (a JSON Patch when PATCH). */
export async function fhirSend<T>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const contentType = method === 'PATCH' ? 'application/json-patch+json' : 'application/fhir+json';
  const init: RequestInit = {
    method,
    headers: authHeaders({
      accept: 'application/fhir+json',
      ...(body === undefined ? {} : { 'content-type': contentType }),
      ...headers,
    }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  return json<T>(await call(path, init));
}

function base64Blob(data: string, contentType: string): Blob {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: contentType });
}

/**
 * The content of a path relative to `/fhir` (a Binary, an attachment URL) as a Blob of its own
 * media type: a Binary answered as FHIR JSON is decoded from its base64 `data`.
 */
export async function fhirBinary(path: string): Promise<Blob> {
  const response = await call(path, { headers: authHeaders({ accept: '*/*' }) });
  if (!/json/.test(response.headers.get('content-type') ?? '')) return response.blob();
  const body = (await response.json()) as { resourceType?: string; contentType?: string; data?: string };
  if (body.resourceType !== 'Binary') return new Blob([JSON.stringify(body)], { type: 'application/fhir+json' });
  return base64Blob(body.data ?? '', body.contentType ?? 'application/octet-stream');
}

/** The bytes of an inline attachment (`Attachment.data`). */
export function attachmentBlob(attachment: fhir4.Attachment): Blob {
  return base64Blob(attachment.data ?? '', attachment.contentType ?? 'application/octet-stream');
}
