// Patch-SVDD's training loss as the released code computes it (main_train.py, datasets.py):
//   loss = sum over scales of the position cross-entropies + lambda x sum over scales of SVDD',
// SVDD' = mean over pairs of ||emb(p1) - emb(p2)||_2, the Euclidean distance itself (the code's
// `diff.norm(dim=1).mean()`; Yi & Yoon's Eq. 3 sums the same, unsquared, distances). The position
// terms are one softmax cross-entropy per classifier the model has (Euclidean, sphere, ball; the
// released SphereFace AngleLoss with m = 1 is the cross-entropy of its logits).
import { softmaxCrossEntropy } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import type { PositionOutputs } from './build-model';

/** Floor under the squared distance before its root: the gradient of sqrt stays finite for identical embeddings. */
const DISTANCE_EPS = 1e-12;

/** SVDD': the mean Euclidean distance between the embeddings of the pairs' two patches, [b, D] each. */
export function svddLoss(first: tf.Tensor2D, second: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sqrt(tf.maximum(tf.sum(tf.square(tf.sub(first, second)), 1), DISTANCE_EPS))) as tf.Scalar);
}

/** The sum of the cross-entropies of every classifier output against the direction labels [b] int32. */
export function positionLoss(outputs: PositionOutputs, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logits = [outputs.euclidean, outputs.sphere, outputs.poincare].filter((t) => t !== undefined);
    return tf.addN(logits.map((l) => softmaxCrossEntropy(l, labels))) as tf.Scalar;
  });
}
