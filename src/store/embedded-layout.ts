import { open, type Database, type Key, type RootDatabase } from 'lmdb';
import type { StoredRow } from './store.js';

/**
 * How the embedded store lays rows out in one LMDB environment (one file, one write lock, atomic
 * multi-database transactions). Keys are arrays in LMDB's ordered-binary encoding, so each prefix
 * (a type, a resource, an index value) is one contiguous key range.
 */

/** A current version without its resource: what filters and sorts read, small to decode. */
export type HeadRow = Omit<StoredRow, 'resource'>;

export interface EmbeddedDbs {
  env: RootDatabase;
  /** [type, id] → the current version, resource left out. */
  heads: Database<HeadRow, Key>;
  /** [type, id, versionId] → every version, resource included (the current one too). */
  versions: Database<StoredRow, Key>;
  /** [type, lastUpdated, versionId, id] → null: type-level history and `_since`, in time order. */
  typeTimeline: Database<null, Key>;
  /** [type, id, lastUpdated, versionId] → null: one resource's history in time order. */
  resourceTimeline: Database<null, Key>;
  /** [fieldCode, value, id] → null: live current rows holding a value at an indexed field. */
  postings: Database<null, Key>;
  /** Layout version and the indexed fields with their codes (see embedded-indexes.ts). */
  meta: Database<unknown, Key>;
}

/** Bumped when the layout changes incompatibly: an older directory is then refused, not misread. */
export const LAYOUT_VERSION = 1;

export function openLayout(dir: string): EmbeddedDbs {
  const env = open({
    path: dir,
    // Commit only returns once LMDB has synced the transaction (fdatasync inside the commit). The
    // default "overlapping sync" would resolve writes before their flush; noSync and friends are
    // never set, so an acknowledged write survives a crash of the process or of the machine.
    overlappingSync: false,
    // Writes are transaction callbacks (and the odd meta put), which LMDB already batches across
    // concurrent callers into one synced commit. The per-event-turn batch would add a commit promise
    // no caller holds: a failed commit (disk full, I/O error) would reject it unhandled.
    eventTurnBatching: false,
    maxDbs: 8,
  });
  const dbs: EmbeddedDbs = {
    env,
    heads: env.openDB<HeadRow, Key>({ name: 'heads' }),
    versions: env.openDB<StoredRow, Key>({ name: 'versions' }),
    typeTimeline: env.openDB<null, Key>({ name: 'type-timeline' }),
    resourceTimeline: env.openDB<null, Key>({ name: 'resource-timeline' }),
    postings: env.openDB<null, Key>({ name: 'postings' }),
    meta: env.openDB<unknown, Key>({ name: 'meta' }),
  };
  checkLayoutVersion(dbs);
  return dbs;
}

function checkLayoutVersion(dbs: EmbeddedDbs): void {
  const stored = dbs.meta.get(['layout']);
  if (stored === undefined) {
    dbs.meta.putSync(['layout'], LAYOUT_VERSION);
    return;
  }
  if (stored !== LAYOUT_VERSION) {
    throw new Error(`the embedded store in this directory has layout ${String(stored)}; this server reads layout ${LAYOUT_VERSION}`);
  }
}

/** The head (current row minus resource) of a full row. */
export function headOf(row: StoredRow): HeadRow {
  const { resource: _resource, ...head } = row;
  return head;
}
