/**
 * A small seeded PRNG so bootstrap intervals are reproducible without a dependency: a Weyl
 * sequence (step = 2^32 / golden ratio) finalised by MurmurHash3's 32-bit mixer. Passes the usual
 * uniformity needs of resampling; not for cryptography.
 */
const GOLDEN_GAMMA = 0x9e3779b9;
const TWO_POW_32 = 4294967296;

/** Returns a function drawing uniform integers in [0, n). */
export function seededIntegers(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n: number) => {
    state = (state + GOLDEN_GAMMA) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    return Math.floor((z / TWO_POW_32) * n);
  };
}
