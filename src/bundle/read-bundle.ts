import type { Bundle, BundleEntry, BundleEntryRequest, Resource } from 'fhir/r4';
import { badRequest, invalidResource } from '../fhir/errors.js';
import { PARSED_JSON, parseFhirJson, type ParsedJson } from '../validation/parse-json.js';
import { hasErrors, validationIssue } from '../validation/issue.js';
import { schemaIssues } from '../validation/schema.js';

/** One entry of a transaction or batch, with its resource as the parsed body of a single request. */
export interface EntryInput {
  /** Position in the request Bundle: the response entry at the same position answers it. */
  index: number;
  fullUrl?: string;
  request: BundleEntryRequest;
  /**
   * The entry's resource with the raw-text facts of its part of the body, so that the interaction
   * validates it exactly as it would the same resource sent alone (D9).
   */
  resource?: ParsedJson;
}

export interface RequestBundle {
  type: 'transaction' | 'batch';
  entries: EntryInput[];
}

/**
 * Reads the body of `POST [base]`: FHIR JSON rules on the whole text (D9), a Bundle of type
 * `transaction` or `batch`, and the Bundle itself valid (schema 400, and the Bundle invariants a
 * request Bundle can break 422). The entries' resources are left to the interactions that write
 * them, so an invalid resource fails its entry (in a batch, only that entry).
 */
export function readRequestBundle(body: Buffer | undefined): RequestBundle {
  if (!body || body.length === 0) throw badRequest('EMPTY_BODY', 'a transaction or batch Bundle is required in the request body');
  const parsed = parseFhirJson(body);
  const bundle = parsed.value as Partial<Bundle>;
  if (bundle.resourceType !== 'Bundle') {
    throw badRequest('NOT_A_BUNDLE', `POST to the base URL takes a Bundle of type transaction or batch, not a ${String(bundle.resourceType)}`, ['resourceType']);
  }
  if (bundle.type !== 'transaction' && bundle.type !== 'batch') {
    throw badRequest('BUNDLE_TYPE', `the server processes Bundles of type transaction or batch; this one is ${JSON.stringify(bundle.type ?? null)}`, ['Bundle.type']);
  }
  const entries = bundle.entry ?? [];
  // The Bundle without its resources: each resource is judged once, by the interaction of its entry.
  const shell = { ...bundle, ...(entries.length ? { entry: entries.map(({ resource: _resource, ...rest }) => rest) } : {}) };
  const structural = schemaIssues('Bundle', shell, 'Bundle', parsed.decimalLiterals);
  if (hasErrors(structural)) throw invalidResource(400, structural);
  const broken = requestBundleIssues(shell as Bundle);
  if (broken.length) throw invalidResource(422, broken);

  const literals = literalsByEntry(parsed.decimalLiterals);
  return {
    type: bundle.type,
    entries: entries.map((entry, index) => entryInput(entry, index, literals.get(index))),
  };
}

function entryInput(entry: BundleEntry, index: number, decimalLiterals: ReadonlyMap<string, string> = new Map()): EntryInput {
  return {
    index,
    ...(entry.fullUrl !== undefined ? { fullUrl: entry.fullUrl } : {}),
    request: entry.request!, // bdl-3
    ...(entry.resource !== undefined ? { resource: { value: entry.resource as Resource, decimalLiterals, [PARSED_JSON]: true } } : {}),
  };
}

/** The decimal literals of the body (`/entry/3/resource/x` → `2.0`), re-keyed from each entry's resource. */
function literalsByEntry(all: ReadonlyMap<string, string>): Map<number, Map<string, string>> {
  const out = new Map<number, Map<string, string>>();
  for (const [pointer, literal] of all) {
    const match = /^\/entry\/(\d+)\/resource(\/.*)$/.exec(pointer);
    if (!match) continue;
    const index = Number(match[1]);
    let map = out.get(index);
    if (!map) out.set(index, (map = new Map()));
    map.set(match[2]!, literal);
  }
  return out;
}

/**
 * bdl-1, -2, -3, -4 and -7 decided natively on the request Bundle: the FHIRPath of bdl-7
 * (`isDistinct()` on the fullUrls) is quadratic, ~0.4 s on a 3,000-entry ITI-65; a Set is linear.
 * The other Bundle invariants concern documents, messages and history Bundles.
 */
function requestBundleIssues(bundle: Bundle) {
  const issues = [];
  const violation = (key: string, text: string, expression: string) => validationIssue('invariant', 'INVARIANT', `${key}: ${text}`, { expression });
  if (bundle.total !== undefined) issues.push(violation('bdl-1', 'total only when a search or history', 'Bundle.total'));
  const fullUrls = new Set<string>();
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    const at = `Bundle.entry[${i}]`;
    if (entry.search) issues.push(violation('bdl-2', 'entry.search only when a search', `${at}.search`));
    if (!entry.request) issues.push(violation('bdl-3', 'entry.request mandatory for batch/transaction/history, otherwise prohibited', at));
    if (entry.response) issues.push(violation('bdl-4', 'entry.response mandatory for batch-response/transaction-response/history, otherwise prohibited', `${at}.response`));
    if (entry.fullUrl !== undefined) {
      if (fullUrls.has(entry.fullUrl)) issues.push(violation('bdl-7', 'FullUrl must be unique in a bundle, or else entries with the same fullUrl must have different meta.versionId (except in history bundles)', `${at}.fullUrl`));
      fullUrls.add(entry.fullUrl);
    }
  }
  return issues;
}
