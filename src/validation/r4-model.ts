import r4model from 'fhirpath/fhir-context/r4';

/** The FHIRPath R4 model: element types by path, type hierarchy. Shared by the schema and invariant steps. */
export { r4model };

function isResourceKind(type: string): boolean {
  for (let t: string | undefined = type; t; t = r4model.type2Parent[t]) if (t === 'Resource') return true;
  return false;
}

/**
 * The resource types of R4 itself. The JSON schema also lists Medplum's own types (Project, Bot, …),
 * which no client may send us, not even as a contained resource.
 */
export const R4_RESOURCE_TYPES: ReadonlySet<string> = new Set(
  Object.keys(r4model.type2Parent).filter((t) => t !== 'DomainResource' && isResourceKind(t)),
);

export function isR4ResourceType(type: unknown): type is string {
  return typeof type === 'string' && R4_RESOURCE_TYPES.has(type);
}
