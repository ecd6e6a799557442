import type { Filter } from './store.js';
import { toIndexKey, type IndexKey } from './index-keys.js';
import { isPlainObject } from './path-values.js';

/**
 * The embedded store's query planner: finds in a MongoDB filter the conditions an index can answer
 * (equality or `$in` on an indexed field or on `id`, at the top level, inside a top-level `$and`, or
 * in every branch of an `$or`), so that candidates come from index keys instead of a scan of the
 * type. The whole filter is still evaluated on each candidate unless the plan is exact.
 */

export type PlanNode =
  /** Rows with one of these ids (read from the primary key; may be tombstones or absent). */
  | { kind: 'ids'; ids: string[] }
  /** Live rows whose `field` holds one of these values (multikey). */
  | { kind: 'postings'; field: string; values: IndexKey[] }
  | { kind: 'and'; children: PlanNode[] }
  | { kind: 'or'; children: PlanNode[] };

export interface QueryPlan {
  /** Where candidates come from; absent when the type must be scanned. */
  node?: PlanNode;
  /** True when the node selects exactly the matching rows (apart from tombstones among `ids`). */
  exact: boolean;
}

interface Lookup {
  node: PlanNode;
  exact: boolean;
}

export function planQuery(filter: Filter, isIndexed: (field: string) => boolean): QueryPlan {
  const { nodes, exact } = planConjunction(filter, isIndexed);
  return { node: combine('and', nodes), exact };
}

function planConjunction(filter: Filter, isIndexed: (field: string) => boolean): { nodes: PlanNode[]; exact: boolean } {
  const nodes: PlanNode[] = [];
  let exact = true;
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition) && condition.length > 0) {
      for (const member of condition) {
        if (!isPlainObject(member)) return { nodes: [], exact: false };
        const sub = planConjunction(member, isIndexed);
        nodes.push(...sub.nodes);
        exact &&= sub.exact;
      }
    } else if (key === '$or' && Array.isArray(condition) && condition.length > 0) {
      const branches = condition.map((member) => (isPlainObject(member) ? planQuery(member, isIndexed) : { exact: false }));
      // an $or narrows candidates only when every branch does; one unindexed branch means a scan
      if (branches.every((b): b is QueryPlan & { node: PlanNode } => b.node !== undefined)) {
        nodes.push(combine('or', branches.map((b) => b.node))!);
        exact &&= branches.every((b) => b.exact);
      } else exact = false;
    } else if (key.startsWith('$')) {
      exact = false;
    } else {
      const lookup = fieldLookup(key, condition, isIndexed);
      if (lookup) nodes.push(lookup.node);
      exact &&= lookup?.exact ?? false;
    }
  }
  return { nodes, exact };
}

function combine(kind: 'and' | 'or', nodes: PlanNode[]): PlanNode | undefined {
  if (nodes.length <= 1) return nodes[0];
  return { kind, children: nodes };
}

/** `{ field: value }`, `{ field: { $eq } }`, `{ field: { $in } }`, possibly beside other operators. */
function fieldLookup(field: string, condition: unknown, isIndexed: (field: string) => boolean): Lookup | undefined {
  if (field !== 'id' && !isIndexed(field)) return undefined;
  let values: unknown[] | undefined;
  let exact = true;
  if (isOperatorObject(condition)) {
    const operators = Object.keys(condition);
    if ('$eq' in condition) values = [condition.$eq];
    else if ('$in' in condition && Array.isArray(condition.$in)) values = condition.$in;
    exact = operators.length === 1;
  } else values = [condition];
  if (values === undefined) return undefined;
  const keys: IndexKey[] = [];
  for (const value of values) {
    const key = toIndexKey(value);
    // a regex, null or object among the values: the index cannot answer for it, evaluate instead
    if (key === undefined) return undefined;
    if (!keys.includes(key)) keys.push(key);
  }
  if (field === 'id') return { node: { kind: 'ids', ids: keys.filter((k): k is string => typeof k === 'string') }, exact };
  return { node: { kind: 'postings', field, values: keys }, exact };
}

/** MongoDB reads an object whose first key starts with `$` as operators, otherwise as a literal. */
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$');
}

/** Whether rows found through the node may be tombstones or absent, so each needs its head read. */
export function mayYieldDeadRows(node: PlanNode): boolean {
  switch (node.kind) {
    case 'ids':
      return true;
    case 'postings':
      return false;
    case 'and':
      return node.children.every(mayYieldDeadRows);
    case 'or':
      return node.children.some(mayYieldDeadRows);
  }
}

/**
 * Field paths a filter reads, to know whether rows must be read with their resource. Top-level
 * operators that read no named path (`$expr`, `$where`) are listed under their own name.
 */
export function filterPaths(filter: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(filter)) for (const member of filter) filterPaths(member, into);
  else if (isPlainObject(filter)) {
    for (const [key, value] of Object.entries(filter)) {
      if (key === '$and' || key === '$or' || key === '$nor') filterPaths(value, into);
      else if (key !== '$comment') into.add(key);
    }
  }
  return into;
}
