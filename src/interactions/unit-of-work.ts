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
}

export function createUnitOfWork(): UnitOfWork {
  return { writes: [], pending: new Map(), expected: new Map() };
}

/** Adds a version to the unit: a later write of the same resource replaces the earlier one. */
export function stage(unit: UnitOfWork, row: StoredRow, expectedVersion: number): void {
  const key = `${row.type}/${row.id}`;
  if (!unit.expected.has(key)) unit.expected.set(key, expectedVersion);
  unit.pending.set(key, row);
  const at = unit.writes.findIndex((w) => w.row.type === row.type && w.row.id === row.id);
  const write = { row, expectedVersion: unit.expected.get(key)! };
  if (at >= 0) unit.writes[at] = write;
  else unit.writes.push(write);
}
