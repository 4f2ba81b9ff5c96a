// The classifiers' loss: softmax cross-entropy on logits (paper Eq. 3 for the sphere head, the MLR
// likelihood of Eq. 8 for the hyperbolic head, the usual l_E for the Euclidean one).
import * as tf from '@tensorflow/tfjs-core';
import { GeoLayersError } from './errors';

/**
 * Mean softmax cross-entropy of `logits` [batch, classes] against `labels`: integer class ids
 * [batch] or one-hot / soft targets [batch, classes]. Computed with logSoftmax (no overflow for large
 * logits, unlike log(softmax)).
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (logits.rank !== 2) {
    throw new GeoLayersError(`softmaxCrossEntropy: logits must be [batch, classes], got shape [${logits.shape.join(', ')}].`);
  }
  const [batch, classes] = logits.shape as [number, number];
  if (labels.shape[0] !== batch) {
    throw new GeoLayersError(`softmaxCrossEntropy: ${labels.shape[0]} labels for ${batch} rows of logits.`);
  }
  return tf.tidy(() => {
    let targets: tf.Tensor;
    if (labels.rank === 1) {
      targets = tf.oneHot(tf.cast(labels, 'int32'), classes);
    } else if (labels.rank === 2 && labels.shape[1] === classes) {
      targets = tf.cast(labels, 'float32');
    } else {
      throw new GeoLayersError(
        `softmaxCrossEntropy: labels must be class ids [batch] or one-hot [batch, ${classes}], got shape [${labels.shape.join(', ')}].`,
      );
    }
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}
