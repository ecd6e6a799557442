import { FhirError } from '../fhir/errors.js';
import type { EntryInput } from './read-bundle.js';

/**
 * The error of one entry, saying which entry it is (`Bundle.entry[3] (POST Patient): …`) while
 * keeping its status, stable code, headers and deciding rule: a failed transaction answers with
 * them (D11), a batch puts them in that entry's `response.outcome`.
 */
export function atEntry(error: FhirError, entry: Pick<EntryInput, 'index' | 'request'>): FhirError {
  const where = `Bundle.entry[${entry.index}] (${entry.request.method} ${entry.request.url})`;
  if (error.issues[0]?.diagnostics?.startsWith(where)) return error;
  const issues = error.issues.map((issue) => ({ ...issue, diagnostics: `${where}: ${issue.diagnostics ?? error.code}` }));
  return new FhirError(error.status, error.code, issues, error.headers, error.rule);
}

/** Runs one entry's step, labelling a FHIR error with the entry; other errors (store down) pass unchanged. */
export async function forEntry<T>(entry: Pick<EntryInput, 'index' | 'request'>, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof FhirError ? atEntry(error, entry) : error;
  }
}
