import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from 'fhir/r4';
import { openEmbeddedStore, type QueryTrace } from '../store/embedded-store.js';
import type { Store } from '../store/store.js';
import { compileSearch, type CompileOptions } from './compile.js';
import { indexPlan } from './definitions.js';
import { extractIndex } from './index-values.js';
import { parseSearch } from './parse.js';
import { storeResolvers } from './resolvers.js';

/**
 * For the search engine's own tests: a real embedded store in a temporary folder holding rows built
 * from resources through `extractIndex`, and a runner that takes a query string through
 * parse → compile → find exactly as the search interaction does.
 */

export interface SearchTestStore {
  store: Store;
  traces: QueryTrace[];
  /** Ids matching `query` on `type`, in the store's order (sorted by id when no `_sort` is given). */
  search(type: string, query: string, options?: CompileOptions): Promise<string[]>;
  close(): Promise<void>;
}

export async function openSearchTestStore(
  resources: Array<{ resource: Resource; lastUpdated?: string }>,
  defaults: CompileOptions = {},
): Promise<SearchTestStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-search-'));
  const traces: QueryTrace[] = [];
  const store = await openEmbeddedStore({ dir, indexPlan: indexPlan(), observe: (t) => traces.push(t) });
  await store.commit(
    resources.map(({ resource, lastUpdated = '2024-05-01T10:00:00.000Z' }) => ({
      row: {
        type: resource.resourceType,
        id: resource.id!,
        versionId: 1,
        lastUpdated,
        deleted: false,
        resource: { ...resource, meta: { ...resource.meta, versionId: '1', lastUpdated } },
        idx: extractIndex(resource),
        sec: {},
      },
      expectedVersion: 0,
    })),
  );
  return {
    store,
    traces,
    async search(type, query, options = {}) {
      const opts = { ...defaults, ...options };
      const { resolve, resolveValues } = storeResolvers(store, () => undefined, opts.maxIds);
      const req = parseSearch(type, [...new URLSearchParams(query)], { lenient: false });
      const { filter, sort } = await compileSearch(req, resolve, { resolveValues, ...opts });
      const rows = await store.find(type, { filter, sort: sort.length ? sort : [['id', 1]] });
      return rows.map((r) => r.id);
    },
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
