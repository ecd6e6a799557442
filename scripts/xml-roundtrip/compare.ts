import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';

/**
 * Compares a FHIR JSON resource with the same resource after a trip through another format.
 * Key order is the only thing ignored (FHIR JSON gives it no meaning); every other difference is
 * reported with its path and a category, so that decimal precision (`1.0` vs `1`), narrative
 * whitespace, primitive extensions (`_field`), contained resources and empty arrays are counted
 * apart from plain losses.
 */

/** A JSON number kept as written: `JSON.parse` would make `1.0` and `1` the same value. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

export type Lossless = null | boolean | string | JsonNumber | Lossless[] | { [key: string]: Lossless };

/** Parses JSON text keeping each number's lexeme; throws on invalid JSON. */
export function parseLossless(text: string): Lossless {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !tree) throw new Error(`invalid JSON at offset ${errors[0]?.offset ?? 0}`);
  const value = (node: Node): Lossless => {
    switch (node.type) {
      case 'object':
        return Object.fromEntries((node.children ?? []).map((p) => [p.children![0]!.value as string, value(p.children![1]!)]));
      case 'array':
        return (node.children ?? []).map(value);
      case 'number':
        return new JsonNumber(text.slice(node.offset, node.offset + node.length));
      default:
        return node.value as null | boolean | string;
    }
  };
  return value(tree);
}

/** Categories, in the order they are tried: the first that fits names the difference. */
export const CATEGORIES = {
  'narrative-whitespace': 'XHTML narrative differs in whitespace only',
  'narrative-serialisation': 'XHTML narrative written differently, same XML once parsed (e.g. &quot; → ", <td></td> → <td/>)',
  'narrative-content': 'XHTML narrative content changed',
  'primitive-extension': 'difference under a primitive extension (`_field`)',
  contained: 'difference inside a contained resource',
  'decimal-precision': 'same number, different digits (e.g. 1.0 → 1)',
  'empty-array': 'empty array dropped or added',
  type: 'value changed JSON type (e.g. number → string)',
  cardinality: 'array became a single value or the reverse',
  dropped: 'element lost',
  added: 'element added',
  value: 'value changed',
} as const;

export type Category = keyof typeof CATEGORIES;

export interface Difference {
  category: Category;
  path: string;
  /** Compact JSON of each side, `undefined` when the element is absent there. */
  before?: string;
  after?: string;
}

const kind = (v: Lossless): string =>
  v === null ? 'null' : v instanceof JsonNumber ? 'number' : Array.isArray(v) ? 'array' : typeof v;

const show = (v: Lossless | undefined): string | undefined => {
  if (v === undefined) return undefined;
  const text = JSON.stringify(v, (_k, x: unknown) => (x instanceof JsonNumber ? Number(x.raw) : x));
  const raw = v instanceof JsonNumber ? v.raw : text;
  return raw.length > 120 ? `${raw.slice(0, 117)}...` : raw;
};

const squeeze = (xhtml: string) => xhtml.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();

/** The narrative as parsed XML, serialised back: character references and empty-element forms no longer differ. */
function reserialised(xhtml: string): string | undefined {
  let failed = false;
  const document = new DOMParser({ onError: (level) => void (level !== 'warning' && (failed = true)) }).parseFromString(xhtml, 'text/xml');
  return failed ? undefined : squeeze(new XMLSerializer().serializeToString(document));
}

/** Both texts cut around their first difference, so that a long narrative shows what changed. */
function aroundFirstChange(a: string, b: string): [string, string] {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const cut = (s: string) => `${i > 30 ? '…' : ''}${s.slice(Math.max(0, i - 30), i + 40)}`;
  return [cut(a), cut(b)];
}

function narrativeCategory(a: string, b: string): Category {
  if (squeeze(a) === squeeze(b)) return 'narrative-whitespace';
  const ra = reserialised(a);
  return ra !== undefined && ra === reserialised(b) ? 'narrative-serialisation' : 'narrative-content';
}

/** Every difference between `before` (the original) and `after` (the round trip). */
export function compare(before: Lossless, after: Lossless): Difference[] {
  const out: Difference[] = [];
  const add = (path: string[], fallback: Category, a: Lossless | undefined, b: Lossless | undefined) => {
    const last = path[path.length - 1] ?? '';
    let category: Category = fallback;
    if (last === 'div' && typeof a === 'string' && typeof b === 'string') {
      category = narrativeCategory(a, b);
      [a, b] = category === 'narrative-whitespace' ? aroundFirstChange(a, b) : aroundFirstChange(squeeze(a), squeeze(b));
    } else if (path.some((p) => p.startsWith('_'))) category = 'primitive-extension';
    else if (path.includes('contained')) category = 'contained';
    out.push({ category, path: path.join('.').replace(/\.\[/g, '['), before: show(a), after: show(b) });
  };
  const walk = (a: Lossless | undefined, b: Lossless | undefined, path: string[]): void => {
    if (a === undefined || b === undefined) {
      const present = (a ?? b)!;
      const empty = Array.isArray(present) && present.length === 0;
      return add(path, empty ? 'empty-array' : a === undefined ? 'added' : 'dropped', a, b);
    }
    const ka = kind(a);
    const kb = kind(b);
    if (ka !== kb) return add(path, ka === 'array' || kb === 'array' ? 'cardinality' : 'type', a, b);
    if (a instanceof JsonNumber && b instanceof JsonNumber) {
      if (a.raw !== b.raw) add(path, Number(a.raw) === Number(b.raw) ? 'decimal-precision' : 'value', a, b);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...path, `[${i}]`]);
      return;
    }
    if (ka === 'object') {
      const oa = a as Record<string, Lossless>;
      const ob = b as Record<string, Lossless>;
      for (const key of new Set([...Object.keys(oa), ...Object.keys(ob)])) walk(oa[key], ob[key], [...path, key]);
      return;
    }
    if (a !== b) add(path, 'value', a, b);
  };
  walk(before, after, []);
  return out;
}
