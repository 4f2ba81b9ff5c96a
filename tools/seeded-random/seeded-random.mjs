// The one seeded generator of the workspace: mulberry32 (Tommy Ettinger's 32-bit mixer over a Weyl
// sequence of step 0x6d2b79f5). 32-bit state, period 2^32, passes the usual small-crush tests: plenty
// for data order, augmentation, initializer seeds, bootstrap resamples and test data. It is the
// algorithm the data paths (shuffles, crops, scenes) and the backbones' initializer seeds already
// used, so moving every package onto it kept the experiments' numbers. Runtime code with no Node
// APIs: the packages list @curvad/seeded-random as a devDependency and tsup bundles this file.

const WEYL_STEP = 0x6d2b79f5;
const UINT32_RANGE = 4294967296;

/** uint32 draws for `seed` (any finite number; reduced to its uint32 value as `seed >>> 0` does). */
export function createUint32Stream(seed) {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`createUint32Stream: seed must be a finite number, got ${String(seed)}; pass an integer such as 42.`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + WEYL_STEP) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform floats in [0, 1) with 2^-32 steps (Math.random's contract) for `seed`. */
export function createUniformStream(seed) {
  const next = createUint32Stream(seed);
  return () => next() / UINT32_RANGE;
}

/** An integer in [0, n) from a uniform [0, 1) draw (floor(u * n), the order every caller relied on). */
export function uniformInteger(uniform, n) {
  return Math.floor(uniform() * n);
}
