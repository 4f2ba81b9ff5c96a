import { createUniformStream, uniformInteger } from '@curvad/seeded-random';
import { DatasetError } from './errors.js';

/**
 * A seeded uniform generator in [0, 1). Every random choice in this package (shuffles, crops,
 * flips, scene layouts, pasted patches) draws from one of these, so the same seed gives the same data.
 */
export interface Rng {
  (): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/**
 * The workspace's one seeded generator (mulberry32, @curvad/seeded-random, bundled into the build):
 * 32-bit state, full period 2^32, passes the usual small-crush tests; plenty for data order.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new DatasetError(`createRng: seed must be a finite number, got ${seed}.`);
  }
  const next = createUniformStream(seed) as Rng;
  next.int = (n: number) => uniformInteger(next, n);
  return next;
}

/** The indices 0..n-1 in a seeded Fisher-Yates order. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
