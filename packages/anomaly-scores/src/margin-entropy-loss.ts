// ELOC's margin entropy loss (Vyas et al., "Out-of-Distribution Detection Using an Ensemble of Self
// Supervised Leave-out Classifiers", ECCV 2018, Eq. 1):
//   L = CE(kept classes) + beta * max(0, m + mean_ID H(p) - mean_OOD H(p)),
// H the Shannon entropy (natural log) of the softmax at T = 1. The hinge asks the held-out (OOD)
// batch to be at least m nats more uncertain than the ID batch. This file is the beta * hinge term
// only; the cross-entropy on the kept classes stays the caller's, like any classifier's loss.
// m = 0.4 and beta = 0.2 are the common re-implementation's values (YU1ut/Ensemble-of-Leave-out-Classifiers).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { assertKnownOptions, assertMatrix, assertNonNegativeNumber, assertSameColumns, assertSeveralColumns } from './validate';

/** The entropy margin m in nats (the common re-implementation's 0.4). */
export const ELOC_DEFAULT_MARGIN = 0.4;
/** The weight beta of the hinge next to the cross-entropy (the common re-implementation's 0.2). */
export const ELOC_DEFAULT_BETA = 0.2;

export interface MarginEntropyLossOptions {
  /** Margin m in nats between the mean entropies. Default 0.4. */
  margin?: number;
  /** Weight beta of the hinge. Default 0.2. */
  beta?: number;
}

/** Per-row Shannon entropy (nats) of softmax(logits): -sum p log p from the log-softmax; differentiable. */
export function softmaxEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), 1)) as tf.Tensor1D;
  });
}

function checkBatch(logits: unknown, name: string): asserts logits is tf.Tensor2D {
  assertMatrix(logits, name, 'classes');
  assertSeveralColumns(
    logits,
    name,
    'A leave-out classifier needs >= 2 kept classes: check its folds (e.g. leaveOutFolds of @curvad/datasets).',
  );
  if (logits.shape[0] === 0) {
    throw new AnomalyScoreError(`${name} has no rows; the mean entropy of an empty batch is undefined. Pass at least one sample.`);
  }
}

/**
 * beta * max(0, margin + mean H(softmax(idLogits)) - mean H(softmax(heldOutLogits))), a scalar
 * (ELOC, Vyas et al. 2018). Differentiable in both inputs; add it to the cross-entropy of the ID
 * batch on the kept classes. Both batches are outputs of the same leave-out classifier, so they must
 * have the same number of classes (>= 2). Inputs are not checked for NaN here (that would read the
 * tensors back on every training step); a NaN logit gives a NaN loss.
 *
 * @param idLogits [rows, classes] logits of an ID batch (kept classes).
 * @param heldOutLogits [rows', classes] logits of a batch of the held-out classes.
 * @param options `margin` (0.4), `beta` (0.2).
 */
export function marginEntropyLoss(idLogits: tf.Tensor, heldOutLogits: tf.Tensor, options: MarginEntropyLossOptions = {}): tf.Scalar {
  const fn = 'marginEntropyLoss';
  if (typeof options !== 'object' || options === null)
    throw new AnomalyScoreError(`${fn}: options must be an object, got ${String(options)}.`);
  assertKnownOptions(options, ['margin', 'beta'], fn);
  const margin = options.margin ?? ELOC_DEFAULT_MARGIN;
  const beta = options.beta ?? ELOC_DEFAULT_BETA;
  assertNonNegativeNumber(margin, `${fn}: margin`);
  assertNonNegativeNumber(beta, `${fn}: beta`);
  checkBatch(idLogits, `${fn}: idLogits`);
  checkBatch(heldOutLogits, `${fn}: heldOutLogits`);
  assertSameColumns(idLogits, heldOutLogits, `${fn}: idLogits`, `${fn}: heldOutLogits`, 'classes');
  return tf.tidy(() => {
    const gap = tf.sub(tf.mean(softmaxEntropy(idLogits)), tf.mean(softmaxEntropy(heldOutLogits)));
    return tf.mul(beta, tf.relu(tf.add(margin, gap))) as tf.Scalar;
  });
}
