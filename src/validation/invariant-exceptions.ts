// Where the invariant step departs from running each R4 expression as written (skipped, corrected,
// decided natively, or run only where it can fail), each departure with its reason.

/**
 * Invariants of the R4 StructureDefinitions that the FHIRPath step does not evaluate, each with
 * the reason. Anything not listed here is evaluated; an expression that still fails to compile or
 * to run is reported as a warning issue (never a silent pass), and a test compiles every R4
 * invariant so a new failure shows up in review rather than in production.
 */
export const SKIPPED_INVARIANTS: ReadonlyMap<string, string> = new Map([
  ['ele-1', 'checked on the JSON itself (json-rules.ts: no empty strings, arrays or objects, no element with only an id); evaluating it on every element would cost most of the validation time'],
  ['txt-1', 'htmlChecks(): narrative.ts parses the XHTML and checks elements, attributes and script, answering 400 as D9 asks rather than 422'],
  ['txt-2', 'htmlChecks(): narrative.ts checks for non-whitespace text or an image, answering 400 as D9 asks'],
  ['ctm-1', 'CareTeam.participant: needs resolve(), which fhirpath.js only runs asynchronously and which would need the store; validation is synchronous and store-free'],
  ['dom-r4b', "a warning on Medplum's R4B SubscriptionStatus: it names R4B types (Citation, Evidence, …) the R4 model does not know"],
]);

interface Correction {
  /** The R4 text being corrected; if the definitions package changes it, the correction stops applying. */
  from: string;
  to: string;
  reason: string;
}

/**
 * R4 expressions evaluated in a corrected form, each fixed the way later FHIR versions fixed it,
 * because the R4 text rejects valid resources.
 */
export const CORRECTED_INVARIANTS: ReadonlyMap<string, Correction> = new Map([
  ['dom-3', {
    from: '%resource.descendants().as(',
    to: '%resource.descendants().ofType(',
    reason: "as() on a collection is an error in FHIRPath (fhirpath.js enforces it), so R4's dom-3 fails on any resource with contained resources; R4B/R5 use ofType()",
  }],
  ['ref-1', {
    from: "%rootResource.contained.id.trace('ids'))",
    to: "%rootResource.contained.id.trace('ids')) or (reference = '#' and %rootResource != %resource)",
    reason: "a contained resource may refer to its container as '#' (R4 references.html), which R4's ref-1 forgot; R5 adds the same clause",
  }],
]);

/** The expression to evaluate for an invariant: the R4 one, or its correction. */
export function correctedExpression(key: string, expression: string): string {
  const correction = CORRECTED_INVARIANTS.get(key);
  return correction && expression.includes(correction.from) ? expression.split(correction.from).join(correction.to) : expression;
}

interface NativeInvariant {
  /** True when the invariant holds on this JSON node (schema-valid, so only known keys). */
  holds: (node: Record<string, unknown>) => boolean;
  reason: string;
}

/**
 * Invariants decided by code that performs the same test as the FHIRPath expression on the JSON
 * keys, for speed only. Each has a test that compares it with the FHIRPath evaluation.
 */
export const NATIVE_INVARIANTS: ReadonlyMap<string, NativeInvariant> = new Map([
  ['ext-1', {
    // extension.exists() != value.exists(): exactly one of nested extensions or a value[x].
    // A primitive value[x] that carries only extensions (`_valueString`) still exists, as in FHIRPath.
    holds: (node) => Object.hasOwn(node, 'extension') !== Object.keys(node).some((k) => /^_?value[A-Z]/.test(k)),
    reason: 'fhirpath.js resolves `value` against the ~50 types of Extension.value[x]: ~35 µs per extension, most of the validation time of extension-heavy resources; the native test reads the keys',
  }],
]);

interface Precondition {
  /** False when the invariant's own expression is sure to hold on this node, so it need not run. */
  applies: (node: Record<string, unknown>) => boolean;
  reason: string;
}

const hasContained = (node: Record<string, unknown>) => Object.hasOwn(node, 'contained');
const CONTAINED_ONLY = 'every term starts from `contained` and ends in empty(): true when there is no contained resource';

/**
 * Invariants evaluated only on the nodes where they can fail, for speed: these run on every
 * resource or every Reference, and each FHIRPath call costs ~5-15 µs. A test checks the FHIRPath
 * result on nodes the precondition rules out.
 */
export const INVARIANT_PRECONDITIONS: ReadonlyMap<string, Precondition> = new Map([
  ['dom-2', { applies: hasContained, reason: CONTAINED_ONLY }],
  ['dom-3', { applies: hasContained, reason: CONTAINED_ONLY }],
  ['dom-4', { applies: hasContained, reason: CONTAINED_ONLY }],
  ['dom-5', { applies: hasContained, reason: CONTAINED_ONLY }],
  ['ref-1', {
    applies: (node) => typeof node.reference === 'string' && node.reference.startsWith('#'),
    reason: "reference.startsWith('#').not() is true, or empty, for any other reference",
  }],
]);
