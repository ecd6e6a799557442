import { Query } from 'mingo';
import type { Filter } from '../store/store.js';

/**
 * Whether one row in hand matches an access filter, with MongoDB's semantics. The fragments of
 * sec-filters.ts (`$in`, `$nin`, `$ne`, `$lte`, `$or`, `$and`, equality on `sec.*` and `id`) are
 * evaluated directly: a read decides on the row it has just read without compiling a query. Any
 * other shape (another operator, `null`, a path through a list of objects) is left to mingo, the
 * engine the embedded store matches its candidates with.
 */

type Primitive = string | number | boolean;

/** Outcome of the direct evaluation; `undefined`: not a shape it knows, ask mingo. */
type Verdict = boolean | undefined;

const isPrimitive = (value: unknown): value is Primitive => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** The value at a dotted path; `null` when the path crosses a list (not a shape evaluated here). */
function valueAt(doc: Record<string, unknown>, path: string): { value: unknown } | null {
  let current: unknown = doc;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) return null;
    if (!isPlainObject(current)) return { value: undefined };
    current = current[key];
  }
  return { value: current };
}

/** A field's value (a list of primitives counts per element) equals `x`; `undefined` for lists of anything else. */
function equals(value: unknown, x: Primitive): Verdict {
  if (Array.isArray(value)) return value.every(isPrimitive) ? value.includes(x) : undefined;
  if (value === undefined || isPrimitive(value)) return value === x;
  return undefined;
}

function lessOrEqual(value: unknown, x: Primitive): Verdict {
  if (typeof x === 'boolean') return undefined;
  const elements = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (!elements.every(isPrimitive)) return undefined;
  // MongoDB compares within one type only: a string to strings, a number to numbers
  return elements.some((e) => typeof e === typeof x && e <= x);
}

function inList(value: unknown, list: unknown): Verdict {
  if (!Array.isArray(list) || !list.every(isPrimitive)) return undefined;
  let found = false;
  for (const x of list) {
    const hit = equals(value, x);
    if (hit === undefined) return undefined;
    found ||= hit;
  }
  return found;
}

const not = (verdict: Verdict): Verdict => (verdict === undefined ? undefined : !verdict);

function condition(value: unknown, cond: unknown): Verdict {
  if (isPrimitive(cond)) return equals(value, cond);
  if (!isPlainObject(cond)) return undefined;
  const operators = Object.entries(cond);
  if (operators.length === 0 || !operators.every(([op]) => op.startsWith('$'))) return undefined;
  let all: Verdict = true;
  for (const [op, operand] of operators) {
    let verdict: Verdict;
    if (op === '$in') verdict = inList(value, operand);
    else if (op === '$nin') verdict = not(inList(value, operand));
    else if (op === '$ne') verdict = isPrimitive(operand) ? not(equals(value, operand)) : undefined;
    else if (op === '$eq') verdict = isPrimitive(operand) ? equals(value, operand) : undefined;
    else if (op === '$lte') verdict = isPrimitive(operand) ? lessOrEqual(value, operand) : undefined;
    else verdict = undefined;
    if (verdict === undefined) return undefined;
    all &&= verdict;
  }
  return all;
}

function evaluate(filter: unknown, doc: Record<string, unknown>): Verdict {
  if (!isPlainObject(filter)) return undefined;
  let all: Verdict = true;
  for (const [key, cond] of Object.entries(filter)) {
    let verdict: Verdict;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(cond) || cond.length === 0) return undefined;
      const parts = cond.map((part) => evaluate(part, doc));
      if (parts.some((p) => p === undefined)) return undefined;
      verdict = key === '$and' ? parts.every(Boolean) : parts.some(Boolean);
    } else if (key.startsWith('$')) {
      return undefined;
    } else {
      const at = valueAt(doc, key);
      verdict = at === null ? undefined : condition(at.value, cond);
    }
    if (verdict === undefined) return undefined;
    all &&= verdict;
  }
  return all;
}

/** The direct evaluation alone: `undefined` for a shape it leaves to mingo. */
export function matchesDirectly(filter: Filter, doc: object): boolean | undefined {
  return evaluate(filter, doc as Record<string, unknown>);
}

/** Whether `doc` matches `filter` (MongoDB semantics; an absent filter matches everything). */
export function matchesRow(filter: Filter | undefined, doc: object): boolean {
  const record = doc as Record<string, unknown>;
  return evaluate(filter ?? {}, record) ?? new Query(filter ?? {}).test(record);
}
