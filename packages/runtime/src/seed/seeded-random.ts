/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state): fast in JS, passes
 * PractRand, and every output is a uint32 converted to [0, 1) with 2^-32 steps like Math.random's
 * contract. Seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
export type RandomSource = () => number;

const UINT32_RANGE = 2 ** 32;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A uint32 generator for `seed` (any integer; reduced modulo 2^32). */
export function createUint32Generator(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

/** Uniform floats in [0, 1) from `seed`. */
export function createRandomSource(seed: number): RandomSource {
  const next = createUint32Generator(seed);
  return () => next() / UINT32_RANGE;
}
