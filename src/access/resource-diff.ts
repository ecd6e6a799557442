import type { Resource } from 'fhir/r4';
import { ARCHIVED_EXTENSION } from './codes.js';

/**
 * D16: the holder or a rep may change a professional's document only in its labels and its
 * archived flag. These compare two versions with those parts (and server-managed `meta`) left out.
 */

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutLabelsAndArchive(resource: Resource): unknown {
  const { meta: _meta, id: _id, ...rest } = resource as Resource & { securityLabel?: unknown; extension?: Array<{ url?: string }> };
  const copy: Record<string, unknown> = { ...rest };
  delete copy.securityLabel;
  const extensions = (copy.extension as Array<{ url?: string }> | undefined)?.filter((e) => e.url !== ARCHIVED_EXTENSION);
  if (extensions?.length) copy.extension = extensions;
  else delete copy.extension;
  return copy;
}

/** True when the two versions differ at most in `securityLabel`, `meta` and the isArchived extension. */
export function onlyLabelsOrArchiveChanged(before: Resource, after: Resource): boolean {
  return canonical(withoutLabelsAndArchive(before)) === canonical(withoutLabelsAndArchive(after));
}

function archiveFlag(resource: Resource): string {
  const extensions = (resource as Resource & { extension?: Array<{ url?: string; valueBoolean?: boolean }> }).extension ?? [];
  return canonical(extensions.filter((e) => e.url === ARCHIVED_EXTENSION));
}

/** True when the two versions differ at most in `securityLabel` and `meta`: archiving is the holder's (R7.2). */
export function onlyLabelsChanged(before: Resource, after: Resource): boolean {
  return onlyLabelsOrArchiveChanged(before, after) && archiveFlag(before) === archiveFlag(after);
}

/** Labels added and removed between two label lists. */
export function labelChanges(before: readonly string[] = [], after: readonly string[] = []): { added: string[]; removed: string[] } {
  return { added: after.filter((l) => !before.includes(l)), removed: before.filter((l) => !after.includes(l)) };
}
