import type { Database, Key } from 'lmdb';
import type { PlanNode } from './query-plan.js';
import { KEY_MAX, type IndexKey } from './index-keys.js';

/**
 * Runs a query plan against the `postings` index: the ids of every row the plan selects (a superset
 * of the matches unless the plan is exact). Postings are read as keys only; no row is decoded here.
 *
 * An `and` does not read every member's postings in full: members are read in lockstep until the
 * shortest one ends, and its ids are then checked against the others by point lookups (or, for a
 * `$in` of many values, by reading the row once), so a rare value ANDed with a frequent one costs
 * about the rare value's count.
 */

export interface PostingsSource {
  postings: Database<null, Key>;
  /** The code of an indexed field of the queried type. */
  codeOf(field: string): number;
  /**
   * Whether the live row with this id holds one of `values` at the field, read from the row itself
   * (one read, however many values); undefined when the row cannot tell (its postings then answer).
   */
  rowHolds?(field: string, values: ReadonlySet<IndexKey>, id: string): boolean | undefined;
}

/** Above this many values, `holds` reads the row once instead of one posting lookup per value. */
const POINT_LOOKUPS_MAX = 2;

/**
 * The ids the node selects. With `superset`, the caller evaluates the whole filter on every
 * candidate anyway: an `and` then yields its shortest member's ids without checking them against
 * the other members (the filter does it on the row it reads regardless).
 */
export function candidateIds(source: PostingsSource, node: PlanNode, options: { superset?: boolean } = {}): Set<string> {
  return new Set(idsOf(source, node, options.superset === true));
}

/** How many ids the node selects; one indexed value is counted by LMDB without reading its keys. */
export function countCandidates(source: PostingsSource, node: PlanNode): number {
  if (node.kind === 'postings' && node.values.length === 1) {
    const code = source.codeOf(node.field);
    const value = node.values[0]!;
    return source.postings.getKeysCount({ start: [code, value], end: [code, value, KEY_MAX] });
  }
  return candidateIds(source, node).size;
}

function* idsOf(source: PostingsSource, node: PlanNode, superset: boolean): Generator<string, void, undefined> {
  switch (node.kind) {
    case 'ids':
      yield* node.ids;
      return;
    case 'postings': {
      const code = source.codeOf(node.field);
      for (const value of node.values) {
        for (const key of source.postings.getKeys({ start: [code, value], end: [code, value, KEY_MAX] })) {
          yield (key as Key[])[2] as string;
        }
      }
      return;
    }
    case 'or':
      for (const child of node.children) yield* idsOf(source, child, superset);
      return;
    case 'and':
      yield* intersect(source, node.children, superset);
      return;
  }
}

function intersect(source: PostingsSource, children: PlanNode[], superset: boolean): Iterable<string> {
  const iterators = children.map((child) => idsOf(source, child, superset));
  const seen: string[][] = children.map(() => []);
  let shortest = -1;
  try {
    race: for (;;) {
      for (let i = 0; i < iterators.length; i++) {
        const next = iterators[i]!.next();
        if (next.done) {
          shortest = i;
          break race;
        }
        seen[i]!.push(next.value);
      }
    }
  } finally {
    // closes the LMDB cursors of the members not read to their end
    for (const iterator of iterators) iterator.return(undefined);
  }
  const ids = new Set(seen[shortest]);
  if (superset) return ids;
  const others = children.filter((_, i) => i !== shortest);
  return [...ids].filter((id) => others.every((other) => holds(source, other, id)));
}

const idSets = new WeakMap<PlanNode, Set<string>>();
const valueSets = new WeakMap<PlanNode, Set<IndexKey>>();

function idSet(node: PlanNode & { kind: 'ids' }): Set<string> {
  let set = idSets.get(node);
  if (!set) idSets.set(node, (set = new Set(node.ids)));
  return set;
}

function valueSet(node: PlanNode & { kind: 'postings' }): Set<IndexKey> {
  let set = valueSets.get(node);
  if (!set) valueSets.set(node, (set = new Set(node.values)));
  return set;
}

/** Whether the row with this id is selected by the node, by point lookups. */
function holds(source: PostingsSource, node: PlanNode, id: string): boolean {
  switch (node.kind) {
    case 'ids':
      return idSet(node).has(id);
    case 'postings': {
      if (node.values.length > POINT_LOOKUPS_MAX && source.rowHolds) {
        const held = source.rowHolds(node.field, valueSet(node), id);
        if (held !== undefined) return held;
      }
      const code = source.codeOf(node.field);
      return node.values.some((value) => source.postings.doesExist([code, value, id]));
    }
    case 'or':
      return node.children.some((child) => holds(source, child, id));
    case 'and':
      return node.children.every((child) => holds(source, child, id));
  }
}
