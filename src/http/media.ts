import { notAcceptable } from '../fhir/errors.js';

/** Media types this server reads and writes. XML is refused with 406 (JSON only). */
export const FHIR_JSON = 'application/fhir+json';
export const JSON_PATCH = 'application/json-patch+json';
export const FORM = 'application/x-www-form-urlencoded';
export const BODY_TYPES = [FHIR_JSON, 'application/json', JSON_PATCH, FORM] as const;

const JSON_FORMATS = new Set(['json', 'application/json', FHIR_JSON, 'application/json+fhir']);
const XML_FORMATS = new Set(['xml', 'text/xml', 'application/xml', 'application/fhir+xml', 'application/xml+fhir']);

/** The bare media type of a header value: `application/fhir+json; fhirVersion=4.0` → `application/fhir+json`. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/**
 * The response media type from `_format` (which wins) or `Accept`. Clients asking for plain
 * `application/json` get that label back; anything else JSON-compatible gets `application/fhir+json`.
 */
export function negotiate(format: string | undefined, accept: string | undefined): string {
  if (format) {
    const wanted = format.trim().toLowerCase().split(';')[0]!.trim();
    if (JSON_FORMATS.has(wanted)) return wanted === 'application/json' ? 'application/json' : FHIR_JSON;
    if (XML_FORMATS.has(wanted)) throw notAcceptable('This server answers in FHIR JSON only; XML is not available.');
    throw notAcceptable(`_format "${format}" is not supported; use json or application/fhir+json.`);
  }
  if (!accept) return FHIR_JSON;
  const ranges = accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type: type ?? '', q: q ? Number(q.slice(2)) : 1 };
  });
  const acceptable = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
  for (const { type } of acceptable) {
    if (type === FHIR_JSON || type === 'application/json+fhir') return FHIR_JSON;
    if (type === 'application/json') return 'application/json';
    if (type === '*/*' || type === 'application/*') return FHIR_JSON;
  }
  if (acceptable.length === 0) return FHIR_JSON;
  throw notAcceptable(`None of the accepted media types (${accept}) is available; this server answers application/fhir+json.`);
}
