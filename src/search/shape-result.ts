import type { Coding, Meta, Resource } from 'fhir/r4';
import { elementNode, elementTree, type ElementTree } from './element-tree.js';
import type { SearchRequest } from './types.js';

/**
 * `_summary` and `_elements`: the returned copy keeps `resourceType`, `id`, `meta` and the mandatory
 * elements, and carries the SUBSETTED tag so nobody mistakes it for the whole resource and writes it
 * back (https://hl7.org/fhir/R4/search.html#summary). The stored resource is never modified.
 */

export const SUBSETTED: Coding = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

type Json = Record<string, unknown>;

const ALWAYS = new Set(['resourceType', 'id', 'meta']);

/** Summary elements of an object, recursing into backbone elements whose children are summary too. */
function summaryOf(value: Json, tree: ElementTree): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const node = elementNode(tree, key);
    if (!node || !(node.summary || node.mandatory)) continue;
    const children = node.children;
    if (children && typeof v === 'object' && v !== null) {
      out[key] = Array.isArray(v) ? v.map((item: unknown) => (isObject(item) ? summaryOf(item, children) : item)) : summaryOf(v as Json, children);
    } else {
      out[key] = v;
    }
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Top-level elements chosen by `keep`, plus the ones every shaped resource keeps. */
function topLevel(resource: Json, tree: ElementTree, keep: (name: string) => boolean): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(resource)) {
    const name = key.startsWith('_') ? key.slice(1) : key;
    if (ALWAYS.has(key) || keep(name) || elementNode(tree, key)?.mandatory) out[key] = v;
  }
  return out;
}

/** `_elements` names plain element names; `Patient.name` is accepted and applies to Patient only. */
function elementsFor(type: string, elements: string[]): Set<string> {
  const names = new Set<string>();
  for (const e of elements) {
    const dot = e.indexOf('.');
    if (dot < 0) names.add(e);
    else if (e.slice(0, dot) === type) names.add(e.slice(dot + 1));
  }
  return names;
}

/** True when the JSON key names one of `names` (choice elements by their `[x]`-less name too). */
function named(names: Set<string>, name: string, tree: ElementTree): boolean {
  if (names.has(name)) return true;
  for (const prefix of tree.choices.keys()) {
    if (names.has(prefix) || names.has(`${prefix}[x]`)) {
      if (name.startsWith(prefix) && /[A-Z]/.test(name[prefix.length] ?? '')) return true;
    }
  }
  return false;
}

function tagged(resource: Json): Resource {
  const { resourceType, id, meta, ...rest } = resource;
  const tags = (meta as Meta | undefined)?.tag ?? [];
  const already = tags.some((t) => t.system === SUBSETTED.system && t.code === SUBSETTED.code);
  const withTag: Meta = { ...(meta as Meta | undefined), tag: already ? tags : [...tags, SUBSETTED] };
  return { resourceType, ...(id !== undefined ? { id } : {}), meta: withTag, ...rest } as unknown as Resource;
}

export interface ShapeOptions {
  summary?: SearchRequest['summary'];
  /** Applied to matches only: element names belong to the searched type. */
  elements?: string[];
}

/** The resource as `_summary`/`_elements` ask for it; the same object when nothing is asked. */
export function shapeResource(resource: Resource, options: ShapeOptions): Resource {
  const { summary, elements } = options;
  const json = resource as unknown as Json;
  const tree = () => elementTree(resource.resourceType);
  switch (summary) {
    case 'true':
      return tagged({ resourceType: resource.resourceType, ...pick(json, ['id', 'meta']), ...summaryOf(json, tree()) });
    case 'text':
      return tagged(topLevel(json, tree(), (name) => name === 'text'));
    case 'data': {
      const { text: _text, ...rest } = json;
      return tagged(rest);
    }
    default:
      break;
  }
  if (elements && elements.length > 0) {
    const names = elementsFor(resource.resourceType, elements);
    const t = tree();
    return tagged(topLevel(json, t, (name) => named(names, name, t)));
  }
  return resource;
}

function pick(json: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (k in json) out[k] = json[k];
  return out;
}
