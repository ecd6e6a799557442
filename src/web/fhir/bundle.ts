/** The resources of a search Bundle (matches only). */
export function resourcesOf<T extends fhir4.Resource>(bundle: fhir4.Bundle | undefined, type?: T['resourceType']): T[] {
  return (bundle?.entry ?? [])
    .filter((e) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome')
    .map((e) => e.resource as T)
    .filter((r): r is T => Boolean(r) && (!type || r.resourceType === type));
}
