import type { Bundle, DocumentReference, Resource } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { StoreKind } from '../helpers/app.js';
import { errorCode } from '../helpers/fhir.js';
import type { CallerName } from './callers.js';
import { buildWorld, type Agent, type World, type WorldOptions } from './scenario.js';

/** Small readers for the write tests (outcome codes, result names, JSON Patch) and their worlds. */

type Res = { status: number; body: unknown; text?: string };

/** `<status>` for a success, `<status> <code>` for a refusal (`issue[0].details.coding[0].code`). */
export function outcome(res: Res): string {
  return res.status < 300 ? String(res.status) : `${res.status} ${errorCode(res.body as never) ?? '?'}`;
}

/** The names (scenario names, or `?<id>` for resources created by the test) of a search's matches. */
export function matches(world: World, res: Res): string[] {
  if (res.status !== 200) throw new Error(`search failed: ${outcome(res)} ${res.text ?? ''}`);
  return ((res.body as Bundle).entry ?? []).filter((e) => e.search?.mode === 'match').map((e) => world.name(e.resource!.id!)).sort();
}

export async function findDocs(world: World, caller: CallerName, query: string): Promise<string[]> {
  return matches(world, await (await world.agent(caller)).get(`/fhir/DocumentReference?${query}&_count=100`));
}

export async function read<T extends Resource = DocumentReference>(world: World, caller: CallerName, ref: string): Promise<{ status: number; body: T; text: string }> {
  const res = await (await world.agent(caller)).get(`/fhir/${ref}`);
  return { status: res.status, body: res.body as T, text: res.text };
}

export function patchAs(agent: Agent, ref: string, ops: unknown[]) {
  return agent.patch(`/fhir/${ref}`).set('content-type', 'application/json-patch+json').send(JSON.stringify(ops));
}

export function deleteAs(agent: Agent, ref: string) {
  return agent.delete(`/fhir/${ref}`);
}


/**
 * Registers a small world (scenario.ts) for the enclosing describe block: `shared`, one app for its
 * tests, which must only read or be refused (no test may change what another reads); `fresh`, a new
 * app for each test, for the tests that change the record. Returns the current world.
 */
export function useSmallWorld(kind: StoreKind, mode: 'shared' | 'fresh', options: Omit<WorldOptions, 'small'> = {}): () => World {
  let world: World | undefined;
  const open = async () => {
    world = await buildWorld(kind, { ...options, small: true });
  };
  const close = async () => {
    await world?.close();
    world = undefined;
  };
  if (mode === 'shared') {
    beforeAll(open);
    afterAll(close);
  } else {
    beforeEach(open);
    afterEach(close);
  }
  return () => {
    if (!world) throw new Error('the world is not open');
    return world;
  };
}
