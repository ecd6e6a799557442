import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4';

/**
 * Turning an official SearchParameter expression into something evaluated once per write: keep only
 * the branches of one resource type, replace the asynchronous `resolve()` that fhirpath refuses, and
 * compile once.
 */

/** A FHIRPath result node: its JSON value and its FHIR type (`FHIR.Coding`, `System.Boolean`, …). */
export interface TypedValue {
  type: string;
  value: unknown;
}

export type Evaluator = (input: unknown) => TypedValue[];

/** Splits at `|` outside parentheses and string literals. */
function topLevelBranches(expression: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'" && expression[i - 1] !== '\\') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(expression.slice(start).trim());
  return out;
}

/**
 * The branches of a multi-type expression (`AllergyIntolerance.patient | Immunization.patient | …`)
 * that apply to `type`; `Resource.` and `DomainResource.` branches are rewritten onto the type.
 */
export function restrictExpression(expression: string, type: string): string | undefined {
  const kept: string[] = [];
  for (const branch of topLevelBranches(expression)) {
    const bare = branch.replace(/^\(+/, '');
    const generic = /^(Resource|DomainResource)\./.exec(bare);
    if (generic) kept.push(branch.replace(`${generic[1]}.`, `${type}.`));
    else if (bare.startsWith(`${type}.`) || bare === type) kept.push(branch);
  }
  return kept.length ? kept.join(' | ') : undefined;
}

/**
 * `X.where(resolve() is Patient)` tests the target's type by fetching it. We test the reference text
 * instead (relative or absolute, version suffix allowed) or, for a reference by identifier only, its
 * `type` element: the same answer without a read.
 */
export function rewriteResolve(expression: string): string {
  return expression.replace(
    /\.where\(resolve\(\) is ([A-Za-z]+)\)/g,
    (_all, t: string) => `.where(reference.matches('^(.*/)?${t}/[A-Za-z0-9.-]+(/_history/.*)?$') or type = '${t}')`,
  );
}

function typed(nodes: unknown[]): TypedValue[] {
  const types = fhirpath.types(nodes);
  return nodes.map((node, i) => ({
    type: types[i] ?? '',
    value: node !== null && typeof node === 'object' && 'data' in node ? (node as { data: unknown }).data : node,
  }));
}

/** Compiles once; `base` gives the type context of a sub-expression (composite components). */
export function compileExpression(expression: string, base?: string): Evaluator {
  if (/\bresolve\(/.test(expression)) throw new Error(`unsupported resolve() in search expression: ${expression}`);
  const path = base ? { base, expression } : expression;
  const fn = fhirpath.compile(path, r4model, { resolveInternalTypes: false }) as (input: unknown) => unknown[];
  return (input) => typed(fn(input));
}

/** The FHIR type of an element path (`DocumentReference.relatesTo.code` → `code`), for composite components. */
export function elementType(path: string): string | undefined {
  return (r4model.path2Type as Record<string, string | undefined>)[path];
}
