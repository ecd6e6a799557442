import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, Resource } from 'fhir/r4';
import { loadConfig } from '../../src/config.js';
import type { QueryPairs, RequestContext } from '../../src/interactions/context.js';
import { searchType, type SearchOptions } from '../../src/interactions/search.js';
import { buildRow } from '../../src/interactions/write-row.js';
import { indexPlan } from '../../src/search/definitions.js';
import { openStore } from '../../src/store/open-store.js';
import type { StoreKind } from '../helpers/app.js';
import { BASE } from './helpers.js';

/**
 * A store of either engine filled directly with rows built as the write path builds them
 * (`buildRow`, hence `extractIndex`), for calling the search interaction without HTTP: the access
 * `narrow` has no HTTP surface yet.
 */

export interface StoreFixture {
  ctx: RequestContext;
  close(): Promise<void>;
}

export async function openStoreFixture(kind: StoreKind, resources: Resource[], start = Date.parse('2024-05-01T10:00:00Z')): Promise<StoreFixture> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dmp-search-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FHIR_BASE_URL: BASE,
    ...(kind === 'mongodb' ? { MONGODB_URI: process.env.MONGODB_URI!, MONGODB_DB: `test_${path.basename(dataDir).replace(/\W/g, '_')}` } : {}),
  });
  const store = await openStore(config, indexPlan());
  // One millisecond apart, so the default order (newest first) is known.
  await store.commit(resources.map((r, i) => ({ row: buildRow(r, r.id!, 1, new Date(start + i)), expectedVersion: 0 })));
  return {
    ctx: { services: { config, store, clock: () => new Date() }, baseUrl: config.baseUrl },
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function pairsOf(query: string): QueryPairs {
  return [...new URLSearchParams(query)] as QueryPairs;
}

/** Runs `Type?query` (or `Patient/id/Type?query`) through the interaction. */
export function search(ctx: RequestContext, url: string, options: Partial<SearchOptions> = {}): Promise<Bundle> {
  const [route = '', query = ''] = url.split('?');
  const parts = route.split('/');
  const compartment = parts.length === 3 ? { type: 'Patient' as const, id: parts[1]! } : undefined;
  return searchType(ctx, parts[parts.length - 1]!, pairsOf(query), { lenient: false, ...(compartment ? { compartment } : {}), ...options });
}

/** The link's URL relative to the base, ready for `search` again. */
export function relative(url: string): string {
  if (!url.startsWith(BASE + '/')) throw new Error(`link ${url} is not on ${BASE}`);
  return url.slice(BASE.length + 1);
}
