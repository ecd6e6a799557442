import { fhirGet } from '../api.js';

/**
 * The bytes of a document's attachment, inline (`data`) or in the Binary its `url` names. The
 * server answers a Binary as FHIR JSON (its content base64 in `data`), read like any resource so
 * that the same access rules apply (D15).
 */

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(text);
}

/** `Binary/x`, `http://host/fhir/Binary/x` → the path under `/fhir`; anything else is not ours to fetch. */
export function binaryPath(url: string): string | undefined {
  const match = /(?:^|\/)(Binary\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]+)?$/.exec(url);
  if (!match) return undefined;
  if (/^https?:/.test(url) && !url.startsWith(`${location.origin}/fhir/`)) return undefined;
  return match[1];
}

export interface Content {
  blob: Blob;
  contentType: string;
}

export async function attachmentContent(attachment: fhir4.Attachment): Promise<Content> {
  if (attachment.data) {
    const contentType = attachment.contentType ?? 'application/octet-stream';
    return { blob: new Blob([base64ToBytes(attachment.data)], { type: contentType }), contentType };
  }
  const path = attachment.url ? binaryPath(attachment.url) : undefined;
  if (!path) throw new Error(attachment.url ? `le contenu est hors de ce serveur (${attachment.url}) : il ne peut pas être affiché ici` : 'ce document n’a pas de contenu');
  const binary = await fhirGet<fhir4.Binary>(path);
  const contentType = binary.contentType || attachment.contentType || 'application/octet-stream';
  return { blob: new Blob([base64ToBytes(binary.data ?? '')], { type: contentType }), contentType };
}
