import { BackboneError } from './errors';

/** tfjs treats a seed of 0 as "no seed" (it falls back to Math.random), so 0 is never handed out. */
const UNSEEDED_SENTINEL = 0;

/**
 * A reproducible stream of per-layer initializer seeds derived from one user seed (mulberry32).
 * Each backbone draws seeds in a fixed layer order, so the same `seed` option always yields the same
 * weights, and different layers get independent random streams.
 */
export class SeedSequence {
  private state: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new BackboneError(`seed must be a safe integer, got ${String(seed)}; pass e.g. { seed: 42 }.`);
    }
    // Mix the high bits in as well so that seeds differing only above 2^32 give different streams.
    this.state = (seed ^ Math.floor(seed / 2 ** 32) ^ 0x9e3779b9) >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = (t ^ (t >>> 14)) >>> 0;
    return value === UNSEEDED_SENTINEL ? 1 : value;
  }
}
