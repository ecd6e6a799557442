import { badRequest } from '../fhir/errors.js';
import { isSupportedType } from '../fhir/registry.js';
import type { QueryPairs } from '../interactions/context.js';
import { CURSOR_PARAM } from './cursor.js';

/**
 * The parameters of `Patient/[id]/$everything` this server understands: `_since` (instant), `_type`
 * (comma-separated types, repeatable: their union), `_count` and the paging token. Anything else is
 * a 400, or ignored under `Prefer: handling=lenient`, as for searches. The official `start` and
 * `end` (care dates) are not supported: answering them would need a clinical date per type.
 */

export interface EverythingParams {
  /** ISO instant (UTC, ms): only resources last updated at or after it. */
  since?: string;
  /** The types asked for, in the order given; absent: the default set. */
  types?: string[];
  /** The page size asked for, before the cap. */
  count?: number;
  cursor?: string;
  /** The pairs understood, for the Bundle's links. */
  selfPairs: QueryPairs;
}

const INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** `_since`: an instant. A `+` offset that arrived unescaped (read as a space) is taken as meant. */
function parseSince(raw: string): string {
  const value = raw.replace(/ (\d{2}:\d{2})$/, '+$1');
  const time = Date.parse(value);
  if (!INSTANT.test(value) || Number.isNaN(time)) {
    throw badRequest('INVALID_PARAMETER', `_since must be an instant such as 2025-01-31T12:00:00Z (seconds and time zone required), not "${raw}"`, ['_since']);
  }
  return new Date(time).toISOString();
}

function parseTypes(raw: string): string[] {
  const types = raw.split(',').map((t) => t.trim());
  for (const type of types) {
    if (!isSupportedType(type)) throw badRequest('UNSUPPORTED_TYPE', `_type names "${type}", which is not a resource type this server supports`, ['_type']);
  }
  return types;
}

function parseCount(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw badRequest('INVALID_PARAMETER', `_count must be a whole number, not "${raw}"`, ['_count']);
  return Number(raw);
}

export function parseEverythingParams(pairs: QueryPairs, options: { lenient: boolean }): EverythingParams {
  const out: EverythingParams = { selfPairs: [] };
  for (const [name, value] of pairs) {
    switch (name) {
      case '_since':
        if (out.since !== undefined) throw badRequest('INVALID_PARAMETER', '_since may be given once', ['_since']);
        out.since = parseSince(value);
        break;
      case '_type':
        out.types = [...new Set([...(out.types ?? []), ...parseTypes(value)])];
        break;
      case '_count':
        out.count = parseCount(value);
        break;
      case CURSOR_PARAM:
        out.cursor = value;
        break;
      default:
        if (options.lenient) continue;
        throw badRequest('UNKNOWN_PARAMETER', `$everything does not support the parameter "${name}" (supported: _since, _type, _count)`, [name]);
    }
    out.selfPairs.push([name, value]);
  }
  return out;
}
