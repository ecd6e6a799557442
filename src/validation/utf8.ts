import { invalidResource } from '../fhir/errors.js';
import { validationIssue } from './issue.js';

/**
 * Strict: any malformed sequence is an error rather than a U+FFFD that would silently change the
 * clinical text. A leading byte order mark is dropped (`ignoreBOM: false`): RFC 8259 lets a parser
 * ignore it, FHIR does not need it, and Windows tools add it, so refusing it would only hurt.
 */
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a request body as UTF-8, or throws a 400 naming the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    throw invalidResource(400, [
      validationIssue('invalid', 'INVALID_UTF8', `the body is not valid UTF-8: invalid byte sequence at byte offset ${offset}`),
    ]);
  }
}

/** Only run once decoding failed, to tell the client where (RFC 3629: no overlongs, no surrogates). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let code = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}
