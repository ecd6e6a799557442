import { r4model } from '../validation/r4-model.js';

/**
 * Finds, in one resource, every value a transaction must rewrite (D11): `Reference.reference`,
 * every element of type uri, url, canonical, oid or uuid (`Attachment.url`, extension values, …)
 * and the `href`/`src` attributes of the narrative. The walk follows the element types of the R4
 * model, so a `string` that happens to hold the same text (`Identifier.value` =
 * `urn:uuid:…`, a display) is never touched. Contained resources are walked too.
 */

/** A reference text standing in a resource: the holder and key to write its replacement to. */
export interface ReferenceSlot {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  value: string;
}

export interface ReferenceScan {
  /** Values replaced from the map (fullUrl → `Type/id`). */
  rewritten: number;
  /** `Type?criteria` references, to resolve against the store (conditional references). */
  conditional: ReferenceSlot[];
  /** `urn:uuid:`/`urn:oid:` references that name no entry of the Bundle: they would dangle. */
  unresolved: string[];
}

const URI_TYPES = new Set(['uri', 'url', 'canonical', 'oid', 'uuid']);
const CONDITIONAL = /^[A-Z][A-Za-z]+\?/;
const PLACEHOLDER = /^urn:(uuid|oid):/;
const NARRATIVE_LINK = /(\s(?:href|src)\s*=\s*)(["'])([^"']*)\2/g;

type Child = { type: string; path: string } | null;
const children = new Map<string, Child>();

/** The type of `parent.key` in the R4 model, inherited elements and `contentReference` included. */
function childOf(parent: string, key: string): Child {
  const memo = `${parent}.${key}`;
  const known = children.get(memo);
  if (known !== undefined) return known;
  let found: Child = null;
  for (let owner: string | undefined = parent; owner && !found; owner = r4model.type2Parent[owner]) {
    const path = `${owner}.${key}`;
    const type = r4model.path2Type[path];
    if (type) found = { type, path };
    else if (r4model.pathsDefinedElsewhere[path]) found = { type: 'BackboneElement', path: r4model.pathsDefinedElsewhere[path]! };
    if (owner.includes('.')) break; // a backbone element inherits from BackboneElement only by its own path
  }
  if (!found && parent.includes('.')) found = childOf('BackboneElement', key);
  children.set(memo, found);
  return found;
}

export function scanReferences(resource: Record<string, unknown>, fullUrls: ReadonlyMap<string, string>): ReferenceScan {
  const scan: ReferenceScan = { rewritten: 0, conditional: [], unresolved: [] };

  const uri = (holder: ReferenceSlot['holder'], key: string | number, value: unknown, isReference: boolean) => {
    if (typeof value !== 'string') return;
    const target = fullUrls.get(value);
    if (target !== undefined) {
      (holder as Record<string | number, unknown>)[key] = target;
      scan.rewritten++;
    } else if (isReference && CONDITIONAL.test(value)) {
      scan.conditional.push({ holder, key, value });
    } else if (isReference && PLACEHOLDER.test(value)) {
      scan.unresolved.push(value);
    }
  };

  const narrative = (holder: Record<string, unknown>, key: string, value: unknown) => {
    if (typeof value !== 'string' || fullUrls.size === 0) return;
    const text = value.replace(NARRATIVE_LINK, (all, before: string, quote: string, link: string) => {
      const target = fullUrls.get(link);
      if (target === undefined) return all;
      scan.rewritten++;
      return `${before}${quote}${target}${quote}`;
    });
    if (text !== value) holder[key] = text;
  };

  const element = (node: unknown, path: string): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) element(item, path);
      return;
    }
    const object = node as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      if (key === 'resourceType') continue;
      const value = object[key];
      // `_given` and friends: the extensions of primitive values
      if (key.startsWith('_')) {
        element(value, 'Element');
        continue;
      }
      const child = childOf(path, key);
      if (!child) continue;
      const isReference = child.path === 'Reference.reference';
      if (isReference || URI_TYPES.has(child.type)) {
        if (Array.isArray(value)) value.forEach((item, i) => uri(value, i, item, isReference));
        else uri(object, key, value, isReference);
      } else if (child.type === 'xhtml') {
        narrative(object, key, value);
      } else if (child.type === 'Resource') {
        for (const contained of Array.isArray(value) ? value : [value]) resourceNode(contained);
      } else if (child.type === 'BackboneElement' || child.type === 'Element') {
        element(value, child.path);
      } else if (/^[A-Z]/.test(child.type)) {
        element(value, child.type);
      }
    }
  };

  const resourceNode = (node: unknown) => {
    const type = (node as { resourceType?: unknown } | null)?.resourceType;
    if (typeof type === 'string' && r4model.type2Parent[type]) element(node, type);
  };

  resourceNode(resource);
  return scan;
}
