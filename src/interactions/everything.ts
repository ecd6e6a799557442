import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { bundle, fullUrl } from '../fhir/bundle.js';
import { FhirError } from '../fhir/errors.js';
import { operationOutcome } from '../fhir/outcome.js';
import { RESOURCE_TYPES } from '../fhir/registry.js';
import { patientCompartmentFilter, patientCompartmentParams } from '../search/compartment.js';
import { parseEverythingParams, type EverythingParams } from '../search/everything-params.js';
import { findIncludes } from '../search/include.js';
import { searchLinks } from '../search/links.js';
import { and, MATCH_NOTHING, narrowed } from '../search/narrowed.js';
import { decodeTypedKey, encodeTypedKey, fetchAcrossTypes, signatureOf, type TypeQuery } from '../search/type-keyset.js';
import type { IncludeSpec, Narrow } from '../search/types.js';
import type { StoredRow } from '../store/store.js';
import type { QueryPairs, RequestContext } from './context.js';
import { read } from './read.js';

/**
 * `GET Patient/[id]/$everything` (R7.4, D14): the patient's compartment, as the caller may see it.
 * - Matched, in this order: the Patient, then every supported type of the official Patient
 *   CompartmentDefinition, each query narrowed by the caller's access exactly as a compartment
 *   search is (`guard.searchNarrow`), WITHOUT the search defaults: archived and superseded documents
 *   are included (D14). A type the caller's role or scopes may never read is left out, not a 403.
 * - AuditEvent and Communication (the server's traces and notifications about the holder) are in
 *   the compartment but left out unless `_type` names them: they grow with every request, this one
 *   included, so a download would never be the same twice, and they are not the record itself.
 * - Included on each page: the directory entries (Practitioner, PractitionerRole, Organization)
 *   the page's resources reference, narrowed like `_include`, and the Binaries of the page's
 *   documents, each decided by the same read rule as `GET Binary/[id]` (D15).
 * - Paging: keyset over (type order, id), see type-keyset.ts; `total` counts the matches.
 */

/** Compartment types returned unless `_type` says otherwise (Patient first). */
export const DEFAULT_EVERYTHING_TYPES: readonly string[] = [
  'Patient',
  ...RESOURCE_TYPES.filter((t) => t !== 'Patient' && patientCompartmentParams(t).length > 0 && t !== 'AuditEvent' && t !== 'Communication'),
];
/** Every type a request may match: the whole compartment. */
const COMPARTMENT_TYPES: readonly string[] = ['Patient', ...RESOURCE_TYPES.filter((t) => t !== 'Patient' && patientCompartmentParams(t).length > 0)];
/** Types brought in because the matches reference them. */
const REFERENCED_TYPES: readonly string[] = ['Practitioner', 'PractitionerRole', 'Organization'];

function pageSize(ctx: RequestContext, params: EverythingParams): number {
  const { searchDefaultCount, searchMaxCount } = ctx.services.config;
  return Math.min(params.count ?? searchDefaultCount, searchMaxCount);
}

/** Type-level refusals: this role (R1.3, R1.4, R8.x) or these scopes (D3) never read the type. */
const TYPE_REFUSALS = ['ROLE_NOT_ALLOWED', 'SCOPE_NOT_GRANTED'];

/**
 * The caller's access fragment for one type of the compartment; undefined when the type is one the
 * caller may never read. Every other refusal (a closed DMP, an opposition to emergency access, …)
 * fails the whole operation, as it would fail a search.
 */
async function narrowFor(ctx: RequestContext, type: string, patientId: string): Promise<{ narrow?: Narrow } | undefined> {
  if (!ctx.guard) return {};
  try {
    return { narrow: await ctx.guard.searchNarrow(type, [], { type: 'Patient', id: patientId }) };
  } catch (err) {
    if (err instanceof FhirError && TYPE_REFUSALS.includes(err.code)) return undefined;
    throw err;
  }
}

/** The Binaries of the page's documents that the caller may read, by the rule of `GET Binary/[id]` (D15). */
async function documentBinaries(ctx: RequestContext, documents: StoredRow[]): Promise<StoredRow[]> {
  if (documents.length === 0) return [];
  const named = documents.flatMap((d) => ((d.sec as { binaries?: string[] }).binaries ?? []));
  const candidates = await ctx.services.store.find('Binary', {
    filter: { $or: [{ id: { $in: named } }, { 'sec.documents': { $in: documents.map((d) => d.id) } }] },
    sort: [['id', 1]],
  });
  const readable: StoredRow[] = [];
  for (const row of candidates) {
    try {
      await ctx.guard?.readRow(row, 'read');
      readable.push(row);
    } catch (err) {
      if (!(err instanceof FhirError) || (err.status !== 403 && err.status !== 404)) throw err;
    }
  }
  return readable;
}

function entry(baseUrl: string, row: StoredRow, mode: 'match' | 'include'): BundleEntry {
  return { fullUrl: fullUrl(baseUrl, row.type, row.id), resource: row.resource as FhirResource, search: { mode } };
}

function truncation(limit: number): BundleEntry {
  return {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource: operationOutcome([{ severity: 'warning', code: 'too-costly', diagnostics: `the first ${limit} referenced resources of this page only were included` }]),
    search: { mode: 'outcome' },
  };
}

export async function everything(ctx: RequestContext, patientId: string, pairs: QueryPairs, options: { lenient: boolean }): Promise<Bundle> {
  const params = parseEverythingParams(pairs, options);
  ctx.audit?.query(pairs);
  ctx.audit?.patient(`Patient/${patientId}`);
  // 404 when the caller may not see the patient (R3.7, R5.5), 403 for a role that never reads patients.
  await read(ctx, 'Patient', patientId);
  const { store, config } = ctx.services;
  const wanted = params.types ?? DEFAULT_EVERYTHING_TYPES;
  const matchTypes = COMPARTMENT_TYPES.filter((t) => wanted.includes(t));
  const since = params.since ? { lastUpdated: { $gte: params.since } } : undefined;

  const queries: TypeQuery[] = [];
  let includeNarrow: Narrow | undefined;
  for (const type of matchTypes) {
    const access = await narrowFor(ctx, type, patientId);
    if (!access) continue;
    includeNarrow ??= access.narrow;
    const filter = and(patientCompartmentFilter(type, patientId, ctx.baseUrl), since);
    queries.push({ type, filter: narrowed(access.narrow, type, filter) });
  }

  const signature = signatureOf([patientId, queries.map((q) => q.type), params.since ?? null]);
  const from = params.cursor ? decodeTypedKey(params.cursor, signature, queries.map((q) => q.type)) : undefined;
  const count = pageSize(ctx, params);
  const [counts, page] = await Promise.all([
    Promise.all(queries.map((q) => store.count(q.type, q.filter))),
    fetchAcrossTypes(store, queries, count, from),
  ]);

  const specs: IncludeSpec[] = REFERENCED_TYPES.filter((t) => !params.types || params.types.includes(t)).map((targetType) => ({
    sourceType: '*',
    param: '*',
    targetType,
    iterate: true,
  }));
  const included = await findIncludes(
    // narrowed like `_include` by a decision of this request; with no type readable, nothing is
    { store, ...(ctx.guard ? { narrow: includeNarrow ?? (() => MATCH_NOTHING) } : {}), baseUrl: ctx.baseUrl, limit: config.searchMaxCount },
    page.rows,
    specs,
    [],
  );
  const binaries = !params.types || params.types.includes('Binary') ? await documentBinaries(ctx, page.rows.filter((r) => r.type === 'DocumentReference')) : [];

  ctx.audit?.rows([...page.rows, ...included.rows, ...binaries]);
  const links = searchLinks(
    { path: `${ctx.baseUrl}/Patient/${patientId}/$everything`, pairs: params.selfPairs, ...(params.count !== undefined ? { count } : {}) },
    { ...(from ? { self: params.cursor } : {}), ...(page.next ? { next: encodeTypedKey(page.next, signature) } : {}) },
  );
  return bundle(
    'searchset',
    [
      ...page.rows.map((row) => entry(ctx.baseUrl, row, 'match')),
      ...included.rows.map((row) => entry(ctx.baseUrl, row, 'include')),
      ...binaries.map((row) => entry(ctx.baseUrl, row, 'include')),
      ...(included.truncated ? [truncation(config.searchMaxCount)] : []),
    ],
    { id: randomUUID(), meta: { lastUpdated: ctx.services.clock().toISOString() }, total: counts.reduce((a, b) => a + b, 0), link: links },
  );
}
