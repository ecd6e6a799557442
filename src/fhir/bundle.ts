import type { Bundle, BundleEntry, BundleLink, FhirResource, Resource } from 'fhir/r4';

/** `fullUrl` of a stored resource: `[base]/[type]/[id]`. */
export function fullUrl(baseUrl: string, type: string, id: string): string {
  return `${baseUrl}/${type}/${id}`;
}

export function bundle(type: Bundle['type'], entry: BundleEntry[], extra: Partial<Bundle> = {}): Bundle {
  return { resourceType: 'Bundle', type, ...extra, ...(entry.length ? { entry } : {}) };
}

export function link(relation: string, url: string): BundleLink {
  return { relation, url };
}

export function resourceEntry(baseUrl: string, resource: Resource, extra: Partial<BundleEntry> = {}): BundleEntry {
  return { fullUrl: fullUrl(baseUrl, resource.resourceType, resource.id!), resource: resource as FhirResource, ...extra };
}
