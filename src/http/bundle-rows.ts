import type { Bundle } from 'fhir/r4';
import type { StoredRow } from '../store/store.js';

/**
 * The resources a Bundle returns, shaped as rows for the audit trace (type, id, version, and the
 * resource whose patient/subject names the holder). Deletions in a history carry no resource.
 */
export function bundleRows(bundle: Bundle): StoredRow[] {
  const rows: StoredRow[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (!resource?.id || resource.resourceType === 'OperationOutcome') continue;
    rows.push({
      type: resource.resourceType,
      id: resource.id,
      versionId: Number(resource.meta?.versionId ?? 0),
      lastUpdated: resource.meta?.lastUpdated ?? '',
      deleted: false,
      resource,
      idx: {},
      sec: {},
    });
  }
  return rows;
}
