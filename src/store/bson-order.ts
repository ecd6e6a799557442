import { EMPTY_ARRAY, isPlainObject } from './path-values.js';

/**
 * MongoDB's comparison order for sorting, on the JSON-like values rows hold: values of different
 * kinds order by kind (empty array < null/missing < numbers < strings < objects < arrays <
 * booleans), strings by Unicode code point (the binary collation MongoDB uses by default; plain
 * JavaScript `<` compares UTF-16 units and disagrees above U+FFFF), objects field by field.
 */

function rank(value: unknown): number {
  if (value === EMPTY_ARRAY) return 0;
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 6;
    default:
      if (Array.isArray(value)) return 5;
      if (value instanceof RegExp) return 7;
      return 4;
  }
}

/** Code point order: surrogates (U+D800–DFFF) encode code points above every other BMP unit. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitWeight(x) - unitWeight(y);
  }
  return a.length - b.length;
}

function unitWeight(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

export function compareBson(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 2:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return compareCodePoints(a as string, b as string);
    case 4:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 5:
      return compareArrays(a as unknown[], b as unknown[]);
    case 6:
      return Number(a) - Number(b);
    case 7:
      return compareCodePoints(String(a), String(b));
    default:
      return 0;
  }
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareBson(a[i], b[i]);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** BSON compares documents element by element: kind of value, then field name, then value. */
function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  if (!isPlainObject(a) || !isPlainObject(b)) return 0;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const length = Math.min(ka.length, kb.length);
  for (let i = 0; i < length; i++) {
    const va = a[ka[i]!];
    const vb = b[kb[i]!];
    const byKind = rank(va) - rank(vb);
    if (byKind !== 0) return byKind;
    const byName = compareCodePoints(ka[i]!, kb[i]!);
    if (byName !== 0) return byName;
    const byValue = compareBson(va, vb);
    if (byValue !== 0) return byValue;
  }
  return ka.length - kb.length;
}
