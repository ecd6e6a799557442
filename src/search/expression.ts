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
  return (base ? undefined : compileMemberPaths(expression)) ?? compileFhirpath(expression, base);
}

/** The FHIRPath engine's evaluation of an expression (what `compileMemberPaths` must agree with). */
export function compileFhirpath(expression: string, base?: string): Evaluator {
  const path = base ? { base, expression } : expression;
  const fn = fhirpath.compile(path, r4model, { resolveInternalTypes: false }) as (input: unknown) => unknown[];
  return (input) => typed(fn(input));
}

interface MemberPath {
  type: string;
  members: string[];
  /** FHIR type of what the path reaches, as FHIRPath names it (`FHIR.Reference`, `FHIR.instant`). */
  resultType: string;
  /** The `where(resolve() is T)` test as `rewriteResolve` writes it, on the References reached. */
  target?: { pattern: RegExp; type: string };
}

const MEMBER_PATH = /^[A-Z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/;
const TARGET_TEST = /^(.+)\.where\(reference\.matches\('([^'\\]*)'\) or type = '([A-Za-z]+)'\)$/;

const PATH2TYPE = r4model.path2Type as Record<string, string | undefined>;
const DEFINED_ELSEWHERE = r4model.pathsDefinedElsewhere as Record<string, string | undefined>;

/**
 * Most search expressions are plain member paths (`AuditEvent.agent.who`, `Resource.meta.profile`,
 * unions of them): walked here directly on the JSON, several times faster than the FHIRPath engine
 * on every write. Anything else (functions, choice types, `as`, `where`) returns undefined and is
 * left to the engine. Values come in document order, with the element's FHIR type.
 */
export function compileMemberPaths(expression: string): Evaluator | undefined {
  const paths: MemberPath[] = [];
  for (const branch of topLevelBranches(expression)) {
    const test = TARGET_TEST.exec(branch);
    const member = test ? test[1]! : branch;
    if (!MEMBER_PATH.test(member)) return undefined;
    const [type, ...members] = member.split('.') as [string, ...string[]];
    const resultType = memberPathType(type, members);
    if (!resultType || (test && resultType !== 'Reference')) return undefined;
    paths.push({
      type,
      members,
      resultType: resultType.startsWith('System.') ? resultType : `FHIR.${resultType}`,
      // FHIRPath's `matches` flags: Unicode, dot matches newlines
      ...(test ? { target: { pattern: new RegExp(test[2]!, 'us'), type: test[3]! } } : {}),
    });
  }
  return (input) => {
    const out: TypedValue[] = [];
    for (const path of paths) {
      if ((input as { resourceType?: unknown } | null)?.resourceType !== path.type) continue;
      const reached: TypedValue[] = [];
      collect(input, path.members, 0, path.resultType, reached);
      for (const item of reached) if (!path.target || isTarget(item.value, path.target)) out.push(item);
    }
    return out;
  };
}

/** `reference.matches(pattern) or type = 'T'`: true when either side is (an absent side is empty, not false). */
function isTarget(value: unknown, target: { pattern: RegExp; type: string }): boolean {
  const { reference, type } = value as { reference?: unknown; type?: unknown };
  return (typeof reference === 'string' && target.pattern.test(reference)) || type === target.type;
}

/** The element type at the end of the path, following datatypes; undefined for choice types and unknown paths. */
function memberPathType(type: string, members: string[]): string | undefined {
  let context = type;
  let found: string | undefined;
  for (const member of members) {
    let path = `${context}.${member}`;
    path = DEFINED_ELSEWHERE[path] ?? path;
    found = PATH2TYPE[path];
    if (!found) return undefined;
    context = found === 'BackboneElement' || found === 'Element' ? path : found;
  }
  // a path ending on a backbone element or a resource is left to the engine
  return found === 'BackboneElement' || found === 'Element' || found === 'Resource' ? undefined : found;
}

function collect(value: unknown, members: string[], at: number, resultType: string, out: TypedValue[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, members, at, resultType, out);
    return;
  }
  if (at === members.length) {
    out.push({ type: resultType, value });
    return;
  }
  if (typeof value !== 'object') return;
  collect((value as Record<string, unknown>)[members[at]!], members, at + 1, resultType, out);
}

/** The FHIR type of an element path (`DocumentReference.relatesTo.code` → `code`), for composite components. */
export function elementType(path: string): string | undefined {
  return (r4model.path2Type as Record<string, string | undefined>)[path];
}
