// The fast-gradient-sign input step shared by ODIN (Liang et al. 2018, Eq. 2) and the Mahalanobis
// detector's input pre-processing (Lee et al. 2018, Eq. 4): x' = x + epsilon sign(grad_x s(x)),
// one step that raises a per-sample "normality" s (higher = more in-distribution).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { assertFinite } from './validate';

/**
 * x + epsilon * sign(d/dx sum_rows normality(x)). The batch sum gives every row its own
 * gradient as long as the model treats rows independently (inference mode: no batch statistics).
 * Must run inside a tidy; returns a tensor shaped like x.
 *
 * A NaN gradient would make sign() NaN and x' NaN, and the score of x' silently NaN: it throws
 * instead, naming `fn` and the row (`rowOffset` is the row of the caller's batch that x starts at).
 */
export function stepTowardsNormal(
  x: tf.Tensor,
  normality: (x: tf.Tensor) => tf.Tensor,
  epsilon: number,
  fn: string,
  rowOffset = 0,
): tf.Tensor {
  let gradient: tf.Tensor;
  // tfjs keeps the tensors a forward pass saves for its backward pass until the backward pass
  // runs: an error thrown inside tf.grad's function would leak them. So a failing check of the
  // model output is caught, the backward pass runs on a stand-in (x * 0), and the error is thrown after.
  let forwardError: { error: unknown } | undefined;
  const objective = (input: tf.Tensor): tf.Tensor => {
    try {
      return tf.sum(normality(input));
    } catch (error) {
      forwardError = { error };
      return tf.sum(tf.mul(input, 0));
    }
  };
  try {
    gradient = tf.grad(objective)(x);
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
  if (forwardError !== undefined) {
    gradient.dispose();
    throw forwardError.error;
  }
  assertFinite(gradient, `${fn}: the input gradient of the model`, {
    rowOffset,
    allowInfinite: true,
    hint:
      'The model output is finite there but its gradient is not: the model is not differentiable at these inputs ' +
      '(e.g. sqrt, log or a division at 0). Fix the model there, or use the score without input pre-processing (e.g. maxSoftmaxScore on the logits).',
  });
  return tf.add(x, tf.mul(epsilon, tf.sign(gradient)));
}
