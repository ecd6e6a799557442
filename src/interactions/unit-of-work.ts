import type { RowWrite, StoredRow } from '../store/store.js';

/**
 * Writes collected for one atomic commit (a transaction Bundle, or an interaction that writes
 * several resources): each write sees the versions written before it in the same unit, and the
 * whole unit commits at once, with its trace, or not at all.
 */
export interface UnitOfWork {
  readonly writes: RowWrite[];
  /** The newest version written in this unit, by `Type/id`. */
  readonly pending: Map<string, StoredRow>;
  /** The version a write in this unit expects of `Type/id` (the first one it read). */
  readonly expected: Map<string, number>;
  /**
   * Current versions the unit's owner already knows, by `Type/id` (undefined: the resource does not
   * exist, e.g. a fresh server-assigned id): a write finds them here instead of reading the store
   * once per resource. Stale knowledge is harmless: the commit checks every expected version.
   */
  readonly known: Map<string, StoredRow | undefined>;
}

export function createUnitOfWork(): UnitOfWork {
  return { writes: [], pending: new Map(), expected: new Map(), known: new Map() };
}

/** Adds a version to the unit: a later write of the same resource replaces the earlier one. */
export function stage(unit: UnitOfWork, row: StoredRow, expectedVersion: number): void {
  const key = `${row.type}/${row.id}`;
  if (!unit.expected.has(key)) unit.expected.set(key, expectedVersion);
  // only a resource already written in this unit needs looking up (keeps a 3,000-entry unit linear)
  const at = unit.pending.has(key) ? unit.writes.findIndex((w) => w.row.type === row.type && w.row.id === row.id) : -1;
  unit.pending.set(key, row);
  const write = { row, expectedVersion: unit.expected.get(key)! };
  if (at >= 0) unit.writes[at] = write;
  else unit.writes.push(write);
}

/**
 * Marks the unit's state; the function returned drops every write staged since (a batch entry that
 * failed). Valid while the writes after the mark are of resources the unit had not written before
 * it, which batch entries guarantee by never sharing a target.
 */
export function savepoint(unit: UnitOfWork): () => void {
  const mark = unit.writes.length;
  return () => {
    for (const { row } of unit.writes.splice(mark)) {
      const key = `${row.type}/${row.id}`;
      unit.pending.delete(key);
      unit.expected.delete(key);
    }
  };
}
