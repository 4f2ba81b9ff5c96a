import { createUniformStream, uniformInteger } from '@curvad/seeded-random';

/**
 * Seeded uniform integers so bootstrap intervals are reproducible without a dependency: the
 * workspace's one generator (mulberry32 from @curvad/seeded-random, bundled into the build).
 * Not for cryptography.
 */
export function seededIntegers(seed: number): (n: number) => number {
  const uniform = createUniformStream(seed);
  return (n: number) => uniformInteger(uniform, n);
}
