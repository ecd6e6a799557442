import type { OperationOutcomeIssue } from 'fhir/r4';
import { compile } from 'fhirpath';
import { constraintTable, type Constraint } from './constraint-table.js';
import { INVARIANT_PRECONDITIONS, NATIVE_INVARIANTS } from './invariant-exceptions.js';
import { validationIssue } from './issue.js';
import { MAX_ISSUES } from './json-rules.js';
import { isJsonObject } from './location.js';
import { isR4ResourceType, r4model } from './r4-model.js';

type Evaluator = (data: unknown, env: Record<string, unknown>) => unknown[];
type Compiled = { evaluate: Evaluator } | { error: string };

/** Each expression compiled once per (base path, key) on first use, and kept for the process. */
const compiledCache = new Map<string, Compiled>();

/** dom-3 and ref-1 call trace(), which fhirpath.js would otherwise print to the console. */
const QUIET = { traceFn: () => {} };

function compiled(base: string, constraint: Constraint): Compiled {
  const cacheKey = `${base}\u0000${constraint.key}`;
  let entry = compiledCache.get(cacheKey);
  if (!entry) {
    try {
      entry = { evaluate: compile({ base, expression: constraint.expression }, r4model, QUIET) as Evaluator };
    } catch (error) {
      entry = { error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
    }
    compiledCache.set(cacheKey, entry);
  }
  return entry;
}

interface Walk {
  issues: OperationOutcomeIssue[];
  table: ReadonlyMap<string, readonly Constraint[]>;
  /** The resource the node belongs to (`%resource`) and the outermost one (`%rootResource`). */
  env: { resource: unknown; rootResource: unknown };
}

/**
 * The FHIRPath invariants the schema cannot express, evaluated where they apply: a resource's own
 * (dom-*, ait-1…) on the resource, element ones (pat-1 on each `Patient.contact`) on each instance
 * of the element, data-type ones (per-1, ref-1, ext-1…) on each instance of the type anywhere,
 * contained resources included with their own `%resource`. Only an explicit `false` violates: an
 * empty result means FHIRPath could not decide (dates of different precision) and is accepted.
 * Run only on schema-valid resources, so every element is known to the R4 model.
 */
export function invariantIssues(value: unknown, root: string): OperationOutcomeIssue[] {
  if (!isJsonObject(value) || !isR4ResourceType(value.resourceType)) return [];
  const walk: Walk = { issues: [], table: constraintTable(), env: { resource: value, rootResource: value } };
  visitResource(walk, value, root, false);
  return walk.issues;
}

/**
 * A contained resource keeps its container as `%rootResource`; any other nested resource (a Bundle
 * entry, a Parameters part) is a root of its own, so ref-1 looks for `#id` in its own `contained`.
 */
function visitResource(walk: Walk, resource: Record<string, unknown>, location: string, contained: boolean): void {
  const type = resource.resourceType as string;
  const outer = walk.env;
  walk.env = { resource, rootResource: contained ? outer.rootResource : resource };
  check(walk, resource, location, [[type, type]]);
  visitChildren(walk, resource, type, location);
  walk.env = outer;
}

function visitChildren(walk: Walk, node: Record<string, unknown>, parentPath: string, location: string): void {
  for (const key of Object.keys(node)) {
    if (key === 'resourceType') continue;
    const child = node[key];
    // `_given`: the id and extensions of a primitive, an Element whatever the primitive's type.
    const elementPath = key.startsWith('_') ? 'Element' : resolvePath(`${parentPath}.${key}`);
    const type = key.startsWith('_') ? 'Element' : r4model.path2Type[elementPath];
    if (!type) continue;
    if (Array.isArray(child)) {
      child.forEach((item, i) => visitElement(walk, item, elementPath, type, `${location}.${key}[${i}]`));
    } else {
      visitElement(walk, child, elementPath, type, `${location}.${key}`);
    }
  }
}

function visitElement(walk: Walk, node: unknown, path: string, type: string, location: string): void {
  if (walk.issues.length >= MAX_ISSUES || node === null || node === undefined) return;
  if (!isJsonObject(node)) {
    // A primitive: only a handful of R4 elements (ElementDefinition.max…) carry invariants.
    if (walk.table.has(path)) check(walk, node, location, [[path, path]]);
    return;
  }
  if (type === 'Resource' || isR4ResourceType(type)) {
    visitResource(walk, node, location, path.endsWith('.contained'));
    return;
  }
  if (type === 'BackboneElement' || type === 'Element') {
    check(walk, node, location, [[path, path]]);
    visitChildren(walk, node, path, location);
    return;
  }
  // A data type (HumanName, Period, Extension…): the element's own invariants, then the type's.
  check(walk, node, location, [[path, path], [type, type]]);
  visitChildren(walk, node, type, location);
}

/** Evaluates the invariants found under each `[table path, FHIRPath base]`, each key once. */
function check(walk: Walk, node: unknown, location: string, sources: Array<[string, string]>): void {
  const done = new Set<string>();
  for (const [path, base] of sources) {
    for (const constraint of walk.table.get(path) ?? []) {
      if (done.has(constraint.key)) continue;
      done.add(constraint.key);
      evaluate(walk, node, location, base, constraint);
    }
  }
}

function evaluate(walk: Walk, node: unknown, location: string, base: string, constraint: Constraint): void {
  if (isJsonObject(node)) {
    if (INVARIANT_PRECONDITIONS.get(constraint.key)?.applies(node) === false) return;
    const native = NATIVE_INVARIANTS.get(constraint.key);
    if (native) {
      if (!native.holds(node)) walk.issues.push(violation(constraint, location));
      return;
    }
  }
  const entry = compiled(base, constraint);
  let result: unknown[];
  try {
    if ('error' in entry) throw new Error(entry.error);
    result = entry.evaluate(node, walk.env);
  } catch (error) {
    // Not a pass in disguise: the client sees that this invariant was not checked.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    walk.issues.push(validationIssue('informational', 'INVARIANT', `${constraint.key} could not be evaluated: ${reason}`, { expression: location, severity: 'warning' }));
    return;
  }
  if (result.length === 1 && result[0] === false) walk.issues.push(violation(constraint, location));
}

function violation(constraint: Constraint, location: string): OperationOutcomeIssue {
  return validationIssue('invariant', 'INVARIANT', `${constraint.key}: ${constraint.human}`, { expression: location, severity: constraint.severity });
}

/** `Questionnaire.item.item` is defined by `Questionnaire.item`: follow such content references. */
function resolvePath(path: string): string {
  return Object.hasOwn(r4model.pathsDefinedElsewhere, path) ? r4model.pathsDefinedElsewhere[path]! : path;
}
