import type { Rng } from './prng.js';

export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;

/** A moment drawn uniformly between two instants (ms). */
export const between = (rng: Rng, from: number, to: number): Date => new Date(from + Math.floor(rng.next() * Math.max(0, to - from)));
