import type { Resource } from 'fhir/r4';
import type { IndexValues } from '../store/store.js';

/** Search index values of a resource, computed once per write (replaced by the search engine). */
export function extractIndex(_resource: Resource): IndexValues {
  return {};
}
