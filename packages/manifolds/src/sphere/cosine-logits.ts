/**
 * Cosine logits of the sphere head (paper Eq. 3, the AngularLinear classifier): l_j = <x, w_j>
 * with x and every class weight w_j on the sphere of radius 1/sqrt(k), so l_j = cos(theta_j) / k
 * lies in [-1/k, 1/k].
 *
 * The optional `scale` multiplies the logits; it is a documented deviation from the paper (with
 * k = 1 the logits live in [-1, 1], which keeps softmax far from one-hot), as in cosine
 * classifiers that use a fixed or learned temperature.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ManifoldError } from '../errors';
import type { Sphere } from './sphere';

export interface CosineLogitsOptions {
  /** Multiplies the logits (default 1: the paper's logits). */
  scale?: number;
}

/**
 * Logits [batch, classes] from features x [batch, dim] and weights w [dim, classes] (as in
 * tf.layers.dense): the rows of x and the columns of w are first projected onto the sphere, so
 * raw features and weights can be passed directly (projection is idempotent).
 */
export function cosineLogits(sphere: Sphere, x: tf.Tensor, w: tf.Tensor, options: CosineLogitsOptions = {}): tf.Tensor {
  const scale = options.scale ?? 1;
  if (!Number.isFinite(scale)) {
    throw new ManifoldError(`cosineLogits: scale must be a finite number, got ${String(scale)}`);
  }
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new ManifoldError(
      `cosineLogits: expected x [batch, dim] and w [dim, classes], got [${x.shape.join(', ')}] and ` + `[${w.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const onSphereX = sphere.project(x);
    const onSphereW = tf.transpose(sphere.project(tf.transpose(w)));
    const logits = tf.matMul(onSphereX, onSphereW);
    return scale === 1 ? logits : tf.mul(logits, scale);
  });
}
