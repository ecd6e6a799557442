import type { Identifier } from 'fhir/r4';

/**
 * D21: the INS (Identifiant National de Santé) of a Patient. Pure functions, no I/O.
 *
 * An INS value is the 13-character NIR (or NIA) followed by its 2-digit key: 15 characters. The key
 * is 97 minus the 13-digit number modulo 97. Reading of the Corsica rule (as the NIR rules and
 * python-stdnum's `fr.nir` apply it): people born in Corsica since 1976 have the department `2A`
 * or `2B` in characters 6-7; for the key those are read as `19` and `18` respectively (equivalently:
 * `20` minus 1,000,000 or 2,000,000 on the number). Nowhere else may a letter appear.
 */

/** INS-NIR, INS-NIA, and the test and demonstration INS systems (DMP-RULES section 11). */
export const INS_SYSTEMS: readonly string[] = [
  'urn:oid:1.2.250.1.213.1.4.8',
  'urn:oid:1.2.250.1.213.1.4.9',
  'urn:oid:1.2.250.1.213.1.4.10',
  'urn:oid:1.2.250.1.213.1.4.11',
];

export function isInsSystem(system: string | undefined): boolean {
  return system !== undefined && INS_SYSTEMS.includes(system);
}

/** sex(1) year(2) month(2) department(2, `2A`/`2B` for Corsica) commune+order(6) key(2). */
const SHAPE = /^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$/;

/** The 13 digits the key is computed on: Corsica's `2A`/`2B` read as `19`/`18`. */
function numberPart(value: string): bigint {
  const department = value.slice(5, 7);
  const digits = department === '2A' ? '19' : department === '2B' ? '18' : department;
  return BigInt(value.slice(0, 5) + digits + value.slice(7, 13));
}

/** The 2-digit key of a 13-character INS prefix (`01`…`97`); undefined when the prefix is malformed. */
export function insKey(first13: string): string | undefined {
  if (!SHAPE.test(`${first13}00`)) return undefined;
  return (97n - (numberPart(first13) % 97n)).toString().padStart(2, '0');
}

export type InsProblem =
  | { kind: 'malformed'; value: string }
  | { kind: 'wrong-key'; value: string; expected: string };

/** What is wrong with one INS value, or undefined when it is well formed with the right key. */
export function insProblem(value: string): InsProblem | undefined {
  if (!SHAPE.test(value)) return { kind: 'malformed', value };
  const expected = insKey(value.slice(0, 13))!;
  return value.slice(13) === expected ? undefined : { kind: 'wrong-key', value, expected };
}

/** The identifiers of a resource that are INS, with their index (for the location). */
export function insIdentifiers(identifiers: readonly Identifier[] | undefined): Array<{ index: number; system: string; value: string }> {
  const out: Array<{ index: number; system: string; value: string }> = [];
  (identifiers ?? []).forEach((identifier, index) => {
    if (isInsSystem(identifier.system) && typeof identifier.value === 'string') {
      out.push({ index, system: identifier.system!, value: identifier.value });
    }
  });
  return out;
}

/** A valid INS from its 13 first characters (tests, seeds): the prefix plus its key. */
export function withInsKey(first13: string): string {
  const key = insKey(first13);
  if (!key) throw new Error(`"${first13}" is not the 13-character start of an INS`);
  return first13 + key;
}
