// The paper's anomaly score AS = 1 - tanh(z) (Sec. IV-A, IV-B), and the two other ways to
// report a geometric score z: the unsaturated ranking value and z itself.
//
// Literally, 1 - tanh(z) is exactly 0 in float32 for every z above about 9.2 (tanh(10) rounds to
// 1), so a batch of confident samples would tie and the metrics would see no ranking. The
// identity 1 - tanh(z) = 2 sigmoid(-2z) has no cancellation: it stays positive and strictly
// decreasing up to z of about 44 (where exp underflows). Past that only `output: 'rank'` keeps
// the order, which is why evaluation should rank by it.
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';

/**
 * What a geometric score function returns.
 * - `'anomaly'` (default): the paper's anomaly score AS (higher = more anomalous).
 * - `'rank'`: an unsaturated number in the same order as AS (higher = more anomalous): `-z`
 *   when AS = 1 - tanh(z), `z` when AS = tanh(z). Use it for AUROC and friends.
 * - `'z'`: the paper's geometric score z itself, in its own orientation (see each function:
 *   for z_S, z_H, z_M a larger z means more NORMAL). For plots and for combining scores.
 */
export type GeometricOutput = 'anomaly' | 'rank' | 'z';

export const GEOMETRIC_OUTPUTS: readonly GeometricOutput[] = ['anomaly', 'rank', 'z'];

/** Which end of z is normal: the paper writes AS = 1 - tanh(z), so large z is normal. */
export type LargerZMeans = 'normal' | 'anomalous';

/**
 * AS = 1 - tanh(z), computed as 2 sigmoid(-2z) so it does not round to 0 for z > ~9.
 * Element-wise, any shape; differentiable.
 */
export function oneMinusTanh(z: tf.Tensor): tf.Tensor {
  if (!(z instanceof tf.Tensor)) throw new AnomalyScoreError(`oneMinusTanh: z must be a tfjs Tensor, got ${typeof z}.`);
  return tf.tidy(() => tf.mul(2, tf.sigmoid(tf.mul(-2, z))));
}

/** Turns z into the requested output (see `GeometricOutput`). */
export function orientGeometricScore(z: tf.Tensor, output: GeometricOutput, largerZMeans: LargerZMeans): tf.Tensor {
  if (output === 'z') return z;
  if (largerZMeans === 'normal') return output === 'rank' ? tf.neg(z) : oneMinusTanh(z);
  return output === 'rank' ? z : tf.tanh(z);
}
