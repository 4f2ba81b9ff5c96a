// The divergence of Eq. 12: KL(softmax(a) || softmax(b)) = sum_i p_i (log p_i - log q_i), per row.
import * as tf from '@tensorflow/tfjs-core';

/**
 * KL(softmax(a) || softmax(b)) per row, from log-softmaxes (no log of a rounded-to-0
 * probability). Clamped at 0: the true value is >= 0 and float32 rounding of nearly equal rows
 * can produce about -1e-8.
 */
export function softmaxKlDivergence(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(a);
    const logQ = tf.logSoftmax(b);
    return tf.relu(tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1)) as tf.Tensor1D;
  });
}
