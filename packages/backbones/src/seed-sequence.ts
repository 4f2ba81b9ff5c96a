import { createUint32Stream } from '@curvad/seeded-random';
import { BackboneError } from './errors';

/** tfjs treats a seed of 0 as "no seed" (it falls back to Math.random), so 0 is never handed out. */
const UNSEEDED_SENTINEL = 0;
/** What a draw of the sentinel is handed out as instead. */
const SENTINEL_REPLACEMENT = 1;
/** Mixed into the user seed so that seed 0 does not start the stream at state 0. */
const SEED_MIX = 0x9e3779b9;

/**
 * A reproducible stream of per-layer initializer seeds derived from one user seed (the workspace's
 * one generator, mulberry32 from @curvad/seeded-random). Each backbone draws seeds in a fixed layer
 * order, so the same `seed` option always yields the same weights, and different layers get
 * independent random streams.
 */
export class SeedSequence {
  private readonly draw: () => number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new BackboneError(`seed must be a safe integer, got ${String(seed)}; pass e.g. { seed: 42 }.`);
    }
    // Mix the high bits in as well so that seeds differing only above 2^32 give different streams.
    this.draw = createUint32Stream((seed ^ Math.floor(seed / 2 ** 32) ^ SEED_MIX) >>> 0);
  }

  next(): number {
    const value = this.draw();
    return value === UNSEEDED_SENTINEL ? SENTINEL_REPLACEMENT : value;
  }
}
