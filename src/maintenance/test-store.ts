import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Resource } from 'fhir/r4';
import { extractAccessFacts } from '../access/facts.js';
import { storeIndexPlan } from '../access/index-plan.js';
import { buildRow, buildTombstone } from '../interactions/write-row.js';
import { openEmbeddedStore } from '../store/embedded-store.js';
import type { AccessFacts, IndexValues, Store, StoredRow } from '../store/store.js';

/**
 * For the reindex tests: a real embedded store in a temporary folder with the server's index plan,
 * and versions written as the write path writes them, then spoiled as an older rule would have
 * computed them (`stale`), so a reindex has something to correct.
 */

export interface TempStore {
  store: Store;
  close(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dmp-reindex-'));
  const store = await openEmbeddedStore({ dir, indexPlan: storeIndexPlan() });
  return {
    store,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Stale {
  sec?: AccessFacts;
  idx?: IndexValues;
}

/** The next version of `resource` as the write path builds it, with `stale` fields laid over it. */
export function nextVersion(resource: Resource, current: StoredRow | undefined, at: Date, stale: Stale = {}): StoredRow {
  const row = buildRow(resource, resource.id!, (current?.versionId ?? 0) + 1, at);
  row.sec = { ...extractAccessFacts(row.resource!, current ? { previous: current.sec } : {}), ...stale.sec };
  if (stale.idx) row.idx = stale.idx;
  return row;
}

/** Writes one version per resource (each after the current one) and returns the rows written. */
export async function writeVersions(store: Store, resources: Resource[], at: Date, stale: Stale = {}): Promise<StoredRow[]> {
  const rows: StoredRow[] = [];
  const writes = [];
  for (const resource of resources) {
    const current = await store.read(resource.resourceType, resource.id!);
    const row = nextVersion(resource, current, at, stale);
    rows.push(row);
    writes.push({ row, expectedVersion: current?.versionId ?? 0 });
  }
  await store.commit(writes);
  return rows;
}

/** A delete as the write path writes it: a tombstone keeping the facts of the version it deletes. */
export async function deleteResource(store: Store, type: string, id: string, at: Date): Promise<void> {
  const current = (await store.read(type, id))!;
  await store.commit([{ row: buildTombstone(type, id, current.versionId + 1, at, current.sec), expectedVersion: current.versionId }]);
}

/** Every version of every resource of a type, oldest first, for before/after comparisons. */
export async function allVersions(store: Store, type: string): Promise<StoredRow[]> {
  const rows = await store.history(type, undefined, {});
  return rows.sort((a, b) => (a.id === b.id ? a.versionId - b.versionId : a.id < b.id ? -1 : 1));
}

/** What a reindex may not change. */
export function identity(row: StoredRow): Omit<StoredRow, 'idx' | 'sec'> {
  const { idx: _idx, sec: _sec, ...rest } = row;
  return rest;
}
