// Eq. 9 of the paper: z_S(e_S) = max_j l_S(e_S, W), the largest spherical (cosine-type) logit,
// and AS = 1 - tanh(z_S) (Sec. IV-A).
import * as tf from '@tensorflow/tfjs-core';
import { GEOMETRIC_OUTPUTS, type GeometricOutput, orientGeometricScore } from './geometric-output';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertMatrix, assertOneOf } from './validate';

export interface GeometricScoreOptions extends OutputOptions {
  /** `'anomaly'` (default) AS = 1 - tanh(z); `'rank'` -z; `'z'` z itself. See `GeometricOutput`. */
  output?: GeometricOutput;
}

/** z_S per row: the largest spherical logit (Eq. 9). */
export function sphericalZ(sphericalLogits: tf.Tensor2D): tf.Tensor1D {
  return tf.max(sphericalLogits, 1) as tf.Tensor1D;
}

/**
 * Spherical geometric score z_S (the paper's Eq. 9) and its anomaly score AS = 1 - tanh(z_S).
 *
 * z_S = max_j l_S,j where l_S are the logits of the spherical head (the paper's head: <x, w_j>
 * with x and w_j on the sphere, so l_S lies in [-1/k, 1/k]; the released SphereFace-style head
 * keeps the feature norm, so its logits are unbounded, and the score is the same max).
 *
 * Orientation: z_S larger = more normal; the returned AS (default) and `'rank'` (= -z_S) are
 * higher = more anomalous. A negative z_S gives AS in (1, 2): 1 - tanh is not clipped to [0, 1].
 *
 * @param sphericalLogits [batch, classes] logits of the spherical classifier.
 * @param options `output` ('anomaly' | 'rank' | 'z'), `asTensor`, `batchSize` (default 8192 rows).
 */
export function sphericalScore<O extends GeometricScoreOptions = GeometricScoreOptions & { asTensor?: false }>(
  sphericalLogits: tf.Tensor,
  options: O = {} as O,
): ScoreOutput<O> {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output'], 'sphericalScore');
  const output = options.output ?? 'anomaly';
  assertOneOf(output, GEOMETRIC_OUTPUTS, 'sphericalScore: output');
  assertMatrix(sphericalLogits, 'sphericalScore: sphericalLogits', 'classes');
  assertFinite(sphericalLogits, 'sphericalScore: sphericalLogits');
  return scoreRows([sphericalLogits], ([l]) => orientGeometricScore(sphericalZ(l as tf.Tensor2D), output, 'normal'), options);
}
