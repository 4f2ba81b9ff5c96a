/** Name of the fused Adam kernel registered for the cpu and wasm backends. */
export const ADAM_UPDATE = 'CurvadAdamUpdate';

/**
 * Attributes of `CurvadAdamUpdate`. The bias corrections are 1 - beta^t, as the float32 values
 * tf.train.adam computes (`sub(1, accBeta)`).
 */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t. */
  biasCorrection1: number;
  /** 1 - beta2^t. */
  biasCorrection2: number;
}

const f = Math.fround;

/**
 * One Adam step over flat float32 arrays, every operation rounded to float32 in the order
 * tfjs-core 4.22's AdamOptimizer.applyGradients performs it, so the results equal tf.train.adam's
 * bit for bit (float32 +, *, / and sqrt computed in float64 and rounded once are correctly rounded):
 *
 *   m' = m b1 + g (1 - b1);  v' = v b2 + g^2 (1 - b2)
 *   x' = (m' / c1) / (sqrt(v' / c2) + eps) * (-lr) + x      (c1, c2: the bias corrections)
 *
 * Reads x, m, v, g and writes xOut, mOut, vOut (which must not alias the inputs' first elements
 * before they are read; the kernels pass freshly allocated outputs).
 */
export function adamUpdateLoop(
  x: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  xOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  attrs: AdamUpdateAttrs,
): void {
  // The scalars as tfjs makes them: JS numbers converted to float32 scalar tensors.
  const beta1 = f(attrs.beta1);
  const oneMinusBeta1 = f(1 - attrs.beta1);
  const beta2 = f(attrs.beta2);
  const oneMinusBeta2 = f(1 - attrs.beta2);
  const correction1 = f(attrs.biasCorrection1);
  const correction2 = f(attrs.biasCorrection2);
  const epsilon = f(attrs.epsilon);
  const negativeLr = f(-attrs.learningRate);
  const n = x.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * beta1) + f(gi * oneMinusBeta1));
    const vi = f(f(v[i]! * beta2) + f(f(gi * gi) * oneMinusBeta2));
    mOut[i] = mi;
    vOut[i] = vi;
    const mHat = f(mi / correction1);
    const denominator = f(f(Math.sqrt(f(vi / correction2))) + epsilon);
    // The store into a Float32Array rounds the final sum.
    xOut[i] = f(f(mHat / denominator) * negativeLr) + x[i]!;
  }
}
