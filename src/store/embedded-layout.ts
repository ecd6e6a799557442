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
    // Overlapping sync: a batch's commit releases the write lock before its fdatasync, so the next
    // batch is written (and its transaction callbacks run) while the previous one reaches the disk.
    // No write is acknowledged before its sync (see `durably`); noSync and friends are never set,
    // so an acknowledged write survives a crash of the process or of the machine, and after a
    // machine crash LMDB reopens on the last synced meta page.
    overlappingSync: true,
    // Writes are transaction callbacks (and the odd meta put), which LMDB already batches across
    // concurrent callers into one commit. The per-event-turn batch would add a commit promise no
    // caller holds: a failed commit (disk full, I/O error) would reject it unhandled.
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

/**
 * Queues an asynchronous write and resolves once its batch is committed AND synced to disk. The
 * flush promise is taken in the same turn as the write is queued, so it is the one of that write's
 * batch (or of a later one, flushed after it), never an earlier batch's. A failed commit or sync
 * rejects the commit promise, so the caller never waits on a flush that will not come.
 */
export async function durably<T>(dbs: EmbeddedDbs, write: () => Promise<T>): Promise<T> {
  const committed = write();
  const flushed = new Promise<void>((resolve, reject) => {
    dbs.env.flushed.then(() => resolve(), reject);
  });
  const [result] = await Promise.all([committed, flushed]);
  return result;
}

/** The head (current row minus resource) of a full row. */
export function headOf(row: StoredRow): HeadRow {
  const { resource: _resource, ...head } = row;
  return head;
}
