import { createUniformStream } from '@curvad/seeded-random';
import { CurvadRuntimeError } from '../errors';

/**
 * Global seeding for tfjs programs. tfjs has no global seed: `fit({ shuffle: true })` shuffles with
 * Math.random, and every random op without an explicit seed (weight initializers, dropout,
 * randomUniform/Normal) seeds itself from Math.random. So `seed(n)` replaces Math.random with the
 * workspace's one seeded generator (mulberry32 from @curvad/seeded-random, bundled; unless
 * `patchMathRandom: false`), which makes all of those reproducible at once; code
 * of ours that draws randomness (augmentation, sampling) calls `rng()` instead of Math.random.
 */

/** Uniform draws in [0, 1), Math.random's contract. */
type RandomSource = () => number;

interface SeedState {
  seed: number;
  source: RandomSource;
  patched: boolean;
}

const originalMathRandom: RandomSource = Math.random;
let state: SeedState | undefined;

export interface SeedOptions {
  /** Replace Math.random (default true); needed to seed tfjs initializers, dropout and fit's shuffle. */
  patchMathRandom?: boolean;
}

/**
 * Seeds everything random in the process: this package's `rng()` and, by default, Math.random.
 * Same seed + same backend gives identical weights, shuffles, dropout masks and augmentations.
 * Call it again to reseed; `unseed()` restores the original Math.random.
 */
export function seed(n: number, options: SeedOptions = {}): void {
  if (!Number.isSafeInteger(n)) {
    throw new CurvadRuntimeError(`seed(n) needs an integer, got ${String(n)}. Pass e.g. seed(42).`);
  }
  const source = createUniformStream(n);
  const patch = options.patchMathRandom ?? true;
  Math.random = patch ? source : originalMathRandom;
  state = { seed: n, source, patched: patch };
}

/** Restores the original Math.random and unseeds `rng()`. */
export function unseed(): void {
  Math.random = originalMathRandom;
  state = undefined;
}

/** The seed last given to `seed(n)`, or undefined when unseeded. */
export function currentSeed(): number | undefined {
  return state?.seed;
}

/**
 * A uniform [0, 1) draw from the seeded generator (from the original Math.random while unseeded).
 * Use it for augmentation and sampling so that `seed(n)` covers them.
 */
export function rng(): number {
  return (state?.source ?? originalMathRandom)();
}

/** An integer seed in [0, 2^31) from `rng()`, for tfjs ops and initializers that take an explicit `seed`. */
export function nextSeed(): number {
  return Math.floor(rng() * 2 ** 31);
}
