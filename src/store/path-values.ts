/**
 * What a dotted field path reaches in a document, with MongoDB's multikey rules, so that the
 * embedded indexes and sorts see exactly the values a MongoDB index or sort would:
 * - an array met on the way fans out to its elements (objects only; nested arrays are not entered);
 * - an array at the end of the path contributes each of its elements;
 * - a field missing on the way counts as null (as MongoDB's key generator does).
 */

/** Marks an empty array at the end of a path: MongoDB sorts it below null and missing. */
export const EMPTY_ARRAY: unique symbol = Symbol('empty array');

export type PathValue = unknown | typeof EMPTY_ARRAY;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

/** Splits once per path: callers resolve the same path over many rows. */
export function splitPath(path: string): string[] {
  return path.split('.');
}

/** Every value the path reaches; never empty (a path that reaches nothing yields null). */
export function pathValues(doc: unknown, segments: readonly string[]): PathValue[] {
  const out: PathValue[] = [];
  walk(doc, segments, 0, out);
  if (out.length === 0) out.push(null);
  return out;
}

function walk(value: unknown, segments: readonly string[], at: number, out: PathValue[]): void {
  if (at === segments.length) {
    if (!Array.isArray(value)) out.push(value === undefined ? null : value);
    else if (value.length === 0) out.push(EMPTY_ARRAY);
    else for (const element of value) out.push(element === undefined ? null : element);
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) if (isPlainObject(element)) walk(element, segments, at, out);
    return;
  }
  if (!isPlainObject(value)) {
    out.push(null);
    return;
  }
  const segment = segments[at]!;
  if (!Object.prototype.hasOwnProperty.call(value, segment)) {
    out.push(null);
    return;
  }
  walk(value[segment], segments, at + 1, out);
}
