// Test-only: deterministic inputs and a scale-aware comparison.
import { createUniformStream } from '@curvad/seeded-random';

/** `size` values in [-1, 1) from the workspace's seeded generator. */
export function testValues(size: number, seed: number): Float32Array {
  const uniform = createUniformStream(seed);
  return Float32Array.from({ length: size }, () => uniform() * 2 - 1);
}

/** max |a - b| / max |b|: the error relative to the reference's scale (elementwise relative error is meaningless at zeros). */
export function relativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Number.POSITIVE_INFINITY;
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < reference.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - reference[i]!));
    maxRef = Math.max(maxRef, Math.abs(reference[i]!));
  }
  if (Number.isNaN(maxDiff)) return Number.POSITIVE_INFINITY;
  return maxRef === 0 ? maxDiff : maxDiff / maxRef;
}
