import type { Bundle, Resource } from 'fhir/r4';
import type { RequestContext } from '../../src/interactions/context.js';
import type { TestApp } from '../helpers/app.js';
import { put } from '../helpers/fhir.js';

/** Helpers shared by the search suites: seeding under fixed ids, reading Bundles, following links. */

export const BASE = 'http://localhost:8080/fhir';

/** Stores each resource under its own id (update-as-create), in order. */
export async function seed(t: TestApp, resources: Resource[]): Promise<void> {
  for (const resource of resources) {
    const res = await put(t, `/fhir/${resource.resourceType}/${resource.id}`, resource);
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`seeding ${resource.resourceType}/${resource.id} failed: ${res.status} ${res.text}`);
    }
  }
}

export async function remove(t: TestApp, type: string, id: string): Promise<void> {
  const res = await t.request.delete(`/fhir/${type}/${id}`);
  if (res.status !== 200 && res.status !== 204) throw new Error(`delete ${type}/${id} failed: ${res.status} ${res.text}`);
}

/** `Type/id` of the entries with the given search mode, in Bundle order. */
export function refs(bundle: Bundle, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle.entry ?? [])
    .filter((e) => e.search?.mode === mode)
    .map((e) => `${e.resource!.resourceType}/${e.resource!.id}`);
}

/** Plain ids of the matches, in Bundle order. */
export function matchIds(bundle: Bundle): string[] {
  return refs(bundle).map((r) => r.split('/')[1]!);
}

export function linkOf(bundle: Bundle, relation: string): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

/** The server path of an absolute link (`http://localhost:8080/fhir/Patient?…` → `/fhir/Patient?…`). */
export function pathOf(url: string): string {
  if (!url.startsWith(BASE)) throw new Error(`link ${url} is not on ${BASE}`);
  return `/fhir${url.slice(BASE.length)}`;
}

export async function getBundle(t: TestApp, path: string, headers: Record<string, string> = {}): Promise<Bundle> {
  const res = await t.request.get(path).set(headers);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body as Bundle;
}

/** Every page from `path` on, following `next` (or `previous`) links; fails on a runaway loop. */
export async function follow(t: TestApp, path: string, relation: 'next' | 'previous' = 'next'): Promise<Bundle[]> {
  const pages: Bundle[] = [];
  let next: string | undefined = path;
  while (next) {
    if (pages.length > 500) throw new Error('paging never ends');
    const page = await getBundle(t, next);
    pages.push(page);
    const url = linkOf(page, relation);
    next = url ? pathOf(url) : undefined;
  }
  return pages;
}

/** A request context on the app's own store and configuration, for calling interactions directly. */
export function contextOf(t: TestApp): RequestContext {
  return { services: { config: t.config, store: t.store, clock: () => new Date() }, baseUrl: t.config.baseUrl };
}
