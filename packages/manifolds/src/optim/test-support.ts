/**
 * Shared fixtures of the optimizer tests (not exported by the package): seeded variables, a
 * loss with a known minimiser, and readers.
 */
import * as tf from '@tensorflow/tfjs-core';

let counter = 0;

/** A fresh, uniquely named variable from a seeded normal draw. */
export function seededVariable(shape: number[], seed: number, scale = 1, prefix = 'optim-test'): tf.Variable {
  counter += 1;
  return tf.tidy(() => tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale), true, `${prefix}-${counter}`));
}

/** Copy of a variable under a new unique name. */
export function cloneVariable(v: tf.Variable): tf.Variable {
  counter += 1;
  return tf.variable(v, true, `${v.name}-copy-${counter}`);
}

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

/** Row norms of a [n, d] tensor, read back. */
export function rowNorms(t: tf.Tensor): number[] {
  return tf.tidy(() => values(tf.norm(t, 'euclidean', -1)));
}

/** A Euclidean loss with curvature in every coordinate: sum((a * x - b)^2) + sum(sin(x)). */
export function euclideanLoss(x: tf.Tensor, seed: number): tf.Scalar {
  return tf.tidy(() => {
    const a = tf.randomUniform(x.shape, 0.5, 2, 'float32', seed);
    const b = tf.randomNormal(x.shape, 0, 1, 'float32', seed + 1);
    return tf.add(tf.sum(tf.square(tf.sub(tf.mul(a, x), b))), tf.sum(tf.sin(x))) as tf.Scalar;
  });
}
