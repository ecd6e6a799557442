import { scramble } from './prng.js';

/**
 * Generated INS (DMP-RULES section 11, D21): sex, year and month of birth, the department of birth
 * (`2A`/`2B` for Corsica, `97` overseas, `99` abroad), six digits that are a bijection of the
 * holder's index (so two holders never share an INS, up to a million holders per seed), and the
 * key: 97 minus the 13-digit number modulo 97, `2A` read as 19 and `2B` as 18.
 */

/** INS-NIR of the test system: generated data never claims a real INS. */
export const TEST_INS_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.10';

export function insKey(first13: string): string {
  const department = first13.slice(5, 7);
  const digits = department === '2A' ? '19' : department === '2B' ? '18' : department;
  const number = BigInt(first13.slice(0, 5) + digits + first13.slice(7, 13));
  return (97n - (number % 97n)).toString().padStart(2, '0');
}

function seedOffset(seed: string): number {
  let h = 0;
  for (const ch of seed) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000;
  return h;
}

export function insOf(index: number, female: boolean, birth: Date, department: string, seed: string): string {
  const yy = String(birth.getUTCFullYear() % 100).padStart(2, '0');
  const mm = String(birth.getUTCMonth() + 1).padStart(2, '0');
  const tail = String(scramble(index, 1_000_000, 7_368_787, seedOffset(seed))).padStart(6, '0');
  const first13 = `${female ? '2' : '1'}${yy}${mm}${department}${tail}`;
  return first13 + insKey(first13);
}
