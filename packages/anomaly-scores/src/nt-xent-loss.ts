// NT-Xent, the normalized temperature-scaled cross-entropy of SimCLR (Chen et al., "A Simple
// Framework for Contrastive Learning of Visual Representations", ICML 2020, Eq. 1), the contrastive
// loss CSI trains with (Tack et al., "CSI: Novelty Detection via Contrastive Learning on
// Distributionally Shifted Instances", NeurIPS 2020, Eq. 1 and 4):
//   l_i = -log( exp(s_ip / T) / sum_{j != i} exp(s_ij / T) ),  s_ij = cos(z_i, z_j),
// averaged over every row i and each of its positives p (the other views of the same instance).
// With two views each row has one positive and 2N - 2 negatives: SimCLR's loss exactly.
//
// Computed as a masked log-softmax (log-sum-exp with the row maximum subtracted), the row's own
// similarity set to -Infinity before the exponential, not subtracted after it: stable for any
// T > 0 (exp(1 / T) overflows float32 for T < 0.0113, the log-softmax does not). The released CSI
// code (alinlab/CSI, training/contrastive_loss.py, NT_xent) adds eps = 1e-8 inside its logs; that
// changes the loss by about 1e-8 and is left out.
//
// In CSI the instances are (image, rotation) pairs: a batch of N images turned by r = 0..3 is 4N
// instances, so the rotated copies of one image are NEGATIVES of each other (distributionally
// shifted instances), while the two augmented views of the same rotated image are positives.
import * as tf from '@tensorflow/tfjs-core';
import { normalizeRows } from './cosine-neighbours';
import { AnomalyScoreError } from './errors';
import { assertFinite, assertKnownOptions, assertMatrix, assertPositiveInteger, assertPositiveNumber } from './validate';

/** SimCLR temperature of CSI's training (its `--temperature` default, 0.5). */
export const NT_XENT_DEFAULT_TEMPERATURE = 0.5;
/** Two augmented views per instance, as SimCLR and CSI. */
const DEFAULT_VIEWS = 2;

export interface NtXentLossOptions {
  /** T > 0 in s / T. Default 0.5 (CSI's SimCLR temperature). */
  temperature?: number;
  /** Views per instance, >= 2: row v * N + i is view v of instance i. Default 2. */
  views?: number;
  /**
   * Check the features for NaN / infinite values first (one read of a [rows] flag vector back to
   * the CPU per call). Default true; turn off in a training loop that checks its loss itself.
   */
  checkFinite?: boolean;
}

/**
 * SimCLR's NT-Xent loss, a differentiable scalar (mean over rows and positives).
 *
 * @param features [views * N, d] projection outputs: view v of instance i at row v * N + i (for two
 *   views: view a at row i, view b at row N + i). Rows are L2-normalised here.
 * @param options `temperature` (0.5), `views` (2), `checkFinite` (true).
 *
 * For CSI, build the batch as [rot0, rot1, rot2, rot3 of view a ; rot0, rot1, rot2, rot3 of view b]
 * (each block N rows, the images in the same order): 4N instances, two views each.
 */
export function ntXentLoss(features: tf.Tensor, options: NtXentLossOptions = {}): tf.Scalar {
  const fn = 'ntXentLoss';
  if (typeof options !== 'object' || options === null)
    throw new AnomalyScoreError(`${fn}: options must be an object, got ${String(options)}.`);
  assertKnownOptions(options, ['temperature', 'views', 'checkFinite'], fn);
  const temperature = options.temperature ?? NT_XENT_DEFAULT_TEMPERATURE;
  assertPositiveNumber(temperature, `${fn}: temperature`);
  const views = options.views ?? DEFAULT_VIEWS;
  assertPositiveInteger(views, `${fn}: views`);
  if (views < 2)
    throw new AnomalyScoreError(`${fn}: views must be >= 2 (each row needs another view of its instance as positive), got ${views}.`);
  assertMatrix(features, `${fn}: features`, 'dim');
  const rows = features.shape[0];
  if (rows < views || rows % views !== 0) {
    throw new AnomalyScoreError(
      `${fn}: features has ${rows} rows, not a positive multiple of views = ${views}; stack ${views} views of the same N instances (view v of instance i at row v * N + i).`,
    );
  }
  if (options.checkFinite !== false)
    assertFinite(features, `${fn}: features`, { hint: 'Check the projection head output (a diverged training step?).' });
  const instances = rows / views;
  return tf.tidy(() => {
    const z = normalizeRows(features);
    const logits = tf.div(tf.matMul(z, z, false, true), temperature);
    const ids = tf.range(0, rows, 1, 'int32');
    const self = tf.equal(tf.expandDims(ids, 1), tf.expandDims(ids, 0));
    const logProb = tf.logSoftmax(tf.where(self, tf.fill([rows, rows], Number.NEGATIVE_INFINITY), logits));
    const instance = tf.mod(ids, instances);
    const positive = tf.logicalAnd(tf.equal(tf.expandDims(instance, 1), tf.expandDims(instance, 0)), tf.logicalNot(self));
    // where, not a product with the mask: the diagonal of logProb is -Infinity and -Infinity * 0 is NaN.
    const positiveLogProb = tf.where(positive, logProb, tf.zerosLike(logProb));
    return tf.div(tf.neg(tf.sum(positiveLogProb)), rows * (views - 1)) as tf.Scalar;
  });
}
