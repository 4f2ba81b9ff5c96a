// Test-only helpers for the fused Adam tests: variables, deterministic gradients, ulp distances.
import * as tf from '@tensorflow/tfjs-core';
import { testValues } from '../test-support/backends';

let counter = 0;

/** Fresh float32 variables of `shapes` with deterministic values (unique names per call). */
export function makeVariables(shapes: number[][], seed: number): tf.Variable[] {
  counter++;
  return shapes.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.variable(tf.tensor(testValues(size, seed + 7 * i), shape, 'float32'), true, `fused-adam-test-${counter}-${i}`);
  });
}

/** Copies of `variables` under new names (same values). */
export function copyVariables(variables: tf.Variable[]): tf.Variable[] {
  counter++;
  return variables.map((v, i) => tf.variable(v.clone(), true, `fused-adam-copy-${counter}-${i}`));
}

/**
 * Gradients for step `step`: a function of the variable's value plus noise, with magnitudes over
 * several decades and exact zeros (so both the small-v and the large-v regimes of Adam are hit).
 */
export function gradientsFor(variables: tf.Variable[], step: number): tf.Tensor[] {
  return variables.map((v, i) =>
    tf.tidy(() => {
      const noise = tf.tensor(testValues(v.size, 1000 * step + 13 * i + 1), v.shape, 'float32');
      const scale = tf.pow(10, tf.round(tf.mul(noise, 3)));
      const mixed = tf.mul(tf.add(tf.sin(v), noise), scale);
      return tf.where(tf.greater(tf.abs(noise), 0.95), tf.zerosLike(mixed), mixed);
    }),
  );
}

/** Largest distance in float32 units in the last place between equal-length float32 arrays. */
export function maxUlpDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  const fa = Float32Array.from(a);
  const fb = Float32Array.from(b);
  const ia = new Int32Array(fa.buffer);
  const ib = new Int32Array(fb.buffer);
  // Map the sign-magnitude bit patterns onto a monotone integer line.
  const ordered = (bits: number) => (bits < 0 ? -2147483648 - bits : bits);
  let max = 0;
  for (let i = 0; i < ia.length; i++) {
    if (Number.isNaN(fa[i]!) || Number.isNaN(fb[i]!)) return Number.POSITIVE_INFINITY;
    max = Math.max(max, Math.abs(ordered(ia[i]!) - ordered(ib[i]!)));
  }
  return max;
}
