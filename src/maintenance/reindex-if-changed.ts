import type { AccessRules } from '../access/rules.js';
import type { Store } from '../store/store.js';
import { profilesHash } from './profiles-hash.js';
import { reindex, type ReindexLog, type ReindexResult } from './reindex.js';
import { reindexTypes } from './reindex-types.js';

/**
 * D24 at start-up: when `profiles/` (or the definitions) changed since the rows were indexed, every
 * stored `idx` and `sec` is recomputed before the server serves. The new hash is recorded only once
 * the reindex has finished, so a start-up interrupted half-way reindexes again on the next one
 * (a reindex is idempotent). A store without rows just records the hash.
 */

export const PROFILES_HASH_KEY = 'profiles-hash';

export interface ReindexIfChangedOptions {
  /** The hash to compare with; `profilesHash()` by default. */
  hash?: string;
  types?: readonly string[];
  batchSize?: number;
  /** The tables to recompute with; those of `profiles/` by default. */
  rules?: AccessRules;
}

export type ReindexOutcome =
  | { ran: false; reason: 'unchanged' | 'empty store'; hash: string }
  | { ran: true; hash: string; result: ReindexResult; ms: number };

export async function reindexIfProfilesChanged(store: Store, log: ReindexLog, options: ReindexIfChangedOptions = {}): Promise<ReindexOutcome> {
  const hash = options.hash ?? profilesHash();
  const stored = await store.getMeta(PROFILES_HASH_KEY);
  if (stored === hash) return { ran: false, reason: 'unchanged', hash };
  const types = options.types ?? reindexTypes();
  if (stored === undefined && (await isEmpty(store, types))) {
    await store.setMeta(PROFILES_HASH_KEY, hash);
    return { ran: false, reason: 'empty store', hash };
  }
  log.info(`profiles/ changed since the stored rows were indexed (${stored?.slice(0, 12) ?? 'never recorded'} → ${hash.slice(0, 12)}): reindexing (D24)`);
  const started = performance.now();
  const result = await reindex(store, { types, log, batchSize: options.batchSize, rules: options.rules });
  const ms = Math.round(performance.now() - started);
  await store.setMeta(PROFILES_HASH_KEY, hash);
  log.info(`reindex done: ${result.rows} resources, ${result.versions} versions, ${result.changed} rewritten in ${ms} ms`);
  return { ran: true, hash, result, ms };
}

async function isEmpty(store: Store, types: readonly string[]): Promise<boolean> {
  for (const type of types) if ((await store.scan(type, { limit: 1 })).length > 0) return false;
  return true;
}
