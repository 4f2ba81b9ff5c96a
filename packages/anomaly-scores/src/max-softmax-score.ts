// Baseline score of the paper (Sec. IV, Fig. 4a): AS = 1 - max(c_E), the maximum softmax
// probability of Hendrycks & Gimpel, "A Baseline for Detecting Misclassified and
// Out-of-Distribution Examples in Neural Networks", ICLR 2017.
import * as tf from '@tensorflow/tfjs-core';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertMatrix, assertPositiveNumber, assertSeveralColumns } from './validate';

/** What to do instead when a softmax score gets a single class. */
export const SINGLE_CLASS_HINT =
  'Softmax scores need >= 2 classes: pass [batch, C] logits with C >= 2, or use maxLogitScore / energyScore for a single output.';

export interface MaxSoftmaxOptions extends OutputOptions {
  /** Softmax temperature T: scores softmax(logits / T). Default 1 (plain MSP); ODIN uses 1000. */
  temperature?: number;
}

/**
 * The sum over the non-maximal classes of exp(l_j - l_max), per row. It is the softmax mass
 * outside the top class up to a factor: 1 - max softmax = rest / (1 + rest). Computing it
 * directly (instead of 1 - softmax) keeps it exact when the top probability rounds to 1.
 */
export function softmaxMassOutsideTop(scaledLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const classes = scaledLogits.shape[1];
    const shifted = tf.sub(scaledLogits, tf.max(scaledLogits, 1, true));
    const top = tf.cast(tf.oneHot(tf.argMax(scaledLogits, 1), classes), 'float32');
    return tf.sum(tf.mul(tf.exp(shifted), tf.sub(1, top)), 1) as tf.Tensor1D;
  });
}

/** 1 - max softmax(logits / T), per row, computed as rest / (1 + rest) (see softmaxMassOutsideTop). */
export function oneMinusMaxSoftmax(logits: tf.Tensor2D, temperature: number): tf.Tensor1D {
  return tf.tidy(() => {
    const rest = softmaxMassOutsideTop(tf.div(logits, temperature) as tf.Tensor2D);
    return tf.div(rest, tf.add(1, rest)) as tf.Tensor1D;
  });
}

/**
 * Maximum-softmax-probability anomaly score (Hendrycks & Gimpel, ICLR 2017): AS = 1 - max_j softmax(l / T)_j.
 *
 * Orientation: higher = more anomalous; range [0, 1 - 1/C]. Invariant to adding a constant to
 * every logit of a row. Computed without cancellation, so confident samples keep distinct scores
 * down to about 1e-38 (a top-class margin of about 87 T).
 *
 * @param logits [batch, classes] classifier outputs (pre-softmax), classes >= 2.
 * @param options `temperature` (default 1), `asTensor`, `batchSize` (default 8192 rows).
 */
export function maxSoftmaxScore<O extends MaxSoftmaxOptions = MaxSoftmaxOptions & { asTensor?: false }>(
  logits: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'temperature'], 'maxSoftmaxScore');
  const temperature = options.temperature ?? 1;
  assertPositiveNumber(temperature, 'maxSoftmaxScore: temperature');
  assertMatrix(logits, 'maxSoftmaxScore: logits', 'classes');
  assertSeveralColumns(logits, 'maxSoftmaxScore: logits', SINGLE_CLASS_HINT);
  assertFinite(logits, 'maxSoftmaxScore: logits');
  return scoreRows([logits], ([l]) => oneMinusMaxSoftmax(l as tf.Tensor2D, temperature), options);
}
