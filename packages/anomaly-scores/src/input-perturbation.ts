// The fast-gradient-sign input step shared by ODIN (Liang et al. 2018, Eq. 2) and the Mahalanobis
// detector's input pre-processing (Lee et al. 2018, Eq. 4): x' = x + epsilon sign(grad_x s(x)),
// one step that raises a per-sample "normality" s (higher = more in-distribution).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';

/**
 * x + epsilon * sign(d/dx sum_rows normality(x)). The batch sum gives every row its own
 * gradient as long as the model treats rows independently (inference mode: no batch statistics).
 * Must run inside a tidy; returns a tensor shaped like x.
 */
export function stepTowardsNormal(x: tf.Tensor, normality: (x: tf.Tensor) => tf.Tensor, epsilon: number): tf.Tensor {
  let gradient: tf.Tensor;
  try {
    gradient = tf.grad((input: tf.Tensor) => tf.sum(normality(input)))(x);
  } catch (error) {
    // tfjs-core on its own registers no gradients; say how to fix that rather than name an op.
    if (error instanceof Error && /gradient function not found/i.test(error.message)) {
      throw new AnomalyScoreError(
        `input perturbation needs tfjs gradients, and one is missing (${error.message}). Import '@tensorflow/tfjs', ` +
          `'@tensorflow/tfjs-node' or '@tensorflow/tfjs-layers' once: each registers every gradient, tfjs-core alone does not.`,
      );
    }
    throw error;
  }
  return tf.add(x, tf.mul(epsilon, tf.sign(gradient)));
}
