import * as tf from '@tensorflow/tfjs-core';

/**
 * Floor on a squared norm before its square root. tf.norm's gradient at 0 is NaN (0 * inf, see
 * notes/tfjs-ecosystem.md 1d); sqrt(max(|x|^2, 1e-30)) keeps norms and their gradients finite at the
 * zero vector, and 1e-30 (norm 1e-15) is still a normal float32.
 */
export const MIN_SQUARED_NORM = 1e-30;

/** Row norms ||x|| of [batch, dim] as [batch, 1], with a finite gradient at 0. */
export function safeRowNorm(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), MIN_SQUARED_NORM)));
}

/** Column norms of a [in, out] kernel as [1, out], with a finite gradient at 0. */
export function safeColumnNorm(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sqrt(tf.maximum(tf.sum(tf.square(w), 0, true), MIN_SQUARED_NORM)));
}
