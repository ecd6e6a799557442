/**
 * Decimals as ranges by their implicit precision (FHIR search §number): `100` stands for
 * [99.5, 100.5], `100.00` for [99.995, 100.005], `1e2` for [50, 150]. `v` keeps the value itself for
 * the comparisons the spec defines on values (`gt`, `lt`, `ge`, `le`, `sa`, `eb`).
 */
export interface NumberRange {
  lo: number;
  hi: number;
  v: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export function parseNumberRange(text: string): NumberRange | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v)) return undefined;
  const decimals = m[3]?.length ?? 0;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  // With an exponent the precision is that of the significant figures: 1e2 is 1 × 10², give or take 0.5 × 10².
  const significant = m[4] === undefined ? -decimals : exponent - decimals;
  const half = 0.5 * 10 ** significant;
  return { lo: v - half, hi: v + half, v };
}
