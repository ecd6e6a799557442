import { createRequire } from 'node:module';
import type { OperationOutcomeIssue } from 'fhir/r4';
import { Ajv, type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';
import { loadFhirSchema, type FhirJsonSchema, type IntegerType } from './fhir-schema.js';
import { isR4ResourceType } from './r4-model.js';
import { issuesFromAjv, type PatternNames } from './schema-issues.js';

const require = createRequire(import.meta.url);

/** What one validation call passes down to the keywords (ajv's `passContext`). */
interface SchemaContext {
  decimalLiterals: ReadonlyMap<string, string>;
  /** JSON pointer of the contained resource being validated, as the literals are keyed from the root. */
  prefix: string;
}

const NO_LITERALS: ReadonlyMap<string, string> = new Map();

const INTEGER_RANGES: Record<IntegerType, [number, number]> = {
  integer: [-2147483648, 2147483647],
  positiveInt: [1, 2147483647],
  unsignedInt: [0, 2147483647],
};

interface Engine {
  ajv: Ajv;
  schema: FhirJsonSchema;
  patterns: PatternNames;
}

let compiled: Engine | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * One ajv for the process, built on first use and never at import, so the server starts fast; each
 * type's validator is compiled when first needed and kept. Measured: reading the schema and
 * compiling the first type ~0.25 s, the eleven other supported types ~0.1 s together.
 */
function engine(): Engine {
  if (compiled) return compiled;
  const schema = loadFhirSchema();
  // strict: false as the recipe says: the official file leaves out `type: "object"` beside
  // `properties`, which strict mode reports on every definition. validateSchema: false because it is
  // the official file, not user input (saves ~50 ms).
  const ajv = new Ajv({ strict: false, allErrors: true, passContext: true, validateSchema: false });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addKeyword({ keyword: 'fhirResource', schemaType: 'boolean', errors: true, validate: validateContained });
  ajv.addKeyword({ keyword: 'fhirInteger', schemaType: 'string', errors: true, validate: validateInteger });
  ajv.addSchema(schema);
  const patterns = new Map<string, string>();
  for (const [name, def] of Object.entries(schema.definitions)) {
    if (/^[a-z]/.test(name) && typeof def.pattern === 'string' && !patterns.has(def.pattern)) patterns.set(def.pattern, name);
  }
  compiled = { ajv, schema, patterns };
  return compiled;
}

function validatorFor(type: string): ValidateFunction {
  let validate = validators.get(type);
  if (!validate) {
    const { ajv, schema } = engine();
    validate = ajv.getSchema(`${schema.$id}#/definitions/${type}`);
    if (!validate) throw new Error(`no JSON schema definition for ${type}`);
    validators.set(type, validate);
  }
  return validate;
}

/** Issues of a resource against the official R4 JSON schema; `type` must be an R4 resource type. */
export function schemaIssues(
  type: string,
  value: unknown,
  root: string,
  decimalLiterals: ReadonlyMap<string, string> = NO_LITERALS,
): OperationOutcomeIssue[] {
  const validate = validatorFor(type);
  const context: SchemaContext = { decimalLiterals, prefix: '' };
  if (validate.call(context, value)) return [];
  return issuesFromAjv(validate.errors ?? [], value, root, engine().patterns);
}

/** Compiles the validators of these types now, e.g. right after the server listens. */
export function warmUpSchema(types: readonly string[]): void {
  for (const type of types) validatorFor(type);
}

/** A contained resource (or Bundle entry) is checked against the one type its `resourceType` names. */
const validateContained: SchemaValidateFunction = function (this: SchemaContext | undefined, _schema, data, _parent, cxt) {
  const at = cxt?.instancePath ?? '';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return true; // the `type` keyword reports it
  const resourceType = (data as { resourceType?: unknown }).resourceType;
  if (!isR4ResourceType(resourceType)) {
    validateContained.errors = [{
      keyword: 'fhirResource',
      instancePath: resourceType === undefined ? at : `${at}/resourceType`,
      message: resourceType === undefined ? 'a resource needs a resourceType' : `'${String(resourceType)}' is not an R4 resource type`,
      params: {},
    }];
    return false;
  }
  const validate = validatorFor(resourceType);
  const context: SchemaContext = { decimalLiterals: this?.decimalLiterals ?? NO_LITERALS, prefix: (this?.prefix ?? '') + at };
  if (validate.call(context, data)) return true;
  validateContained.errors = (validate.errors ?? []).map((e: ErrorObject) => ({ ...e, instancePath: at + e.instancePath }));
  return false;
};

/** Whole, in range, and not written with a decimal point or exponent (FHIR JSON: `2.0` is not an integer). */
const validateInteger: SchemaValidateFunction = function (this: SchemaContext | undefined, kind: IntegerType, data, _parent, cxt?: DataValidationCxt) {
  if (typeof data !== 'number') return true; // the `type` keyword reports it
  const literal = this?.decimalLiterals.get((this.prefix ?? '') + (cxt?.instancePath ?? ''));
  const [min, max] = INTEGER_RANGES[kind];
  if (literal === undefined && Number.isInteger(data) && data >= min && data <= max) return true;
  const problem = literal !== undefined
    ? `is written ${literal}: an ${kind} is written without a decimal point or exponent`
    : !Number.isInteger(data) ? `${data} is not a whole number` : `${data} is out of range (${min} to ${max})`;
  validateInteger.errors = [{ keyword: 'fhirInteger', message: `${kind} value ${problem}`, params: { kind } }];
  return false;
};
