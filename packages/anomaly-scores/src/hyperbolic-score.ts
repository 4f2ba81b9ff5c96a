// Eq. 10 of the paper: z_H(e_H) = d_Geo(e_H, 0_H), the geodesic distance of the hyperbolic
// embedding from the origin of the Poincare ball, and AS = 1 - tanh(z_H) (Sec. IV-A). The paper
// (Fig. 2, after Khrulkov et al.) observes that OOD embeddings lie closer to the origin.
import { Stereographic } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { GEOMETRIC_OUTPUTS, orientGeometricScore } from './geometric-output';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type ScoreOutput, scoreRows } from './output';
import type { GeometricScoreOptions } from './spherical-score';
import { assertFinite, assertMatrix, assertOneOf, describe } from './validate';

export interface HyperbolicScoreOptions extends GeometricScoreOptions {
  /** Signed curvature of the ball, k < 0 (the paper's HiO uses -0.01, HiT -1). Required. */
  k: number;
}

/**
 * How far outside the ball (relative to its radius 1/sqrt|k|) a point may lie and still be read
 * as a float32 rounding of a boundary point; anything further out is a caller error.
 */
export const OUTSIDE_BALL_TOLERANCE = 1e-3;

export function assertCurvatureNegative(k: unknown, fn: string): asserts k is number {
  if (typeof k !== 'number' || !Number.isFinite(k) || k >= 0) {
    throw new AnomalyScoreError(
      `${fn}: k must be a finite negative number (the signed curvature of the Poincare ball, e.g. -0.01), got ${describe(k)}.`,
    );
  }
}

/**
 * z_H per row: d(e, 0) = 2/sqrt|k| artanh(sqrt|k| ||e||), from @curvad/manifolds
 * (`Stereographic(k).dist0`: artanh argument clamped at 1 - 1e-7, norm floored so the gradient is
 * finite at the origin). Differentiable; used inside ODIN's gradient step.
 */
export function hyperbolicZ(embedding: tf.Tensor2D, k: number): tf.Tensor1D {
  return tf.tidy(() => new Stereographic(k).dist0(tf.cast(embedding, 'float32')) as tf.Tensor1D);
}

/** Throws when some row lies clearly outside the ball of radius 1/sqrt|k|. */
export function assertInsideBall(embedding: tf.Tensor2D, k: number, fn: string): void {
  if (embedding.shape[0] === 0) return;
  const maxScaledNorm = tf.tidy(() => tf.max(tf.mul(tf.norm(embedding, 'euclidean', 1), Math.sqrt(-k))));
  const value = maxScaledNorm.dataSync()[0]!;
  maxScaledNorm.dispose();
  if (value > 1 + OUTSIDE_BALL_TOLERANCE) {
    throw new AnomalyScoreError(
      `${fn}: an embedding has norm ${(value / Math.sqrt(-k)).toPrecision(4)}, outside the Poincare ball of radius ` +
        `1/sqrt|k| = ${(1 / Math.sqrt(-k)).toPrecision(4)} for k = ${k}. Map features into the ball first ` +
        `(ToPoincare, or Stereographic(k).project / expmap0), and check that k matches the head's curvature.`,
    );
  }
}

/**
 * Hyperbolic geometric score z_H (the paper's Eq. 10) and its anomaly score AS = 1 - tanh(z_H).
 *
 * z_H = d(e_H, 0) = 2/sqrt|k| artanh(sqrt|k| ||e_H||), the geodesic distance to the origin of
 * the Poincare ball of curvature k. It grows with ||e_H|| and diverges at the boundary, so AS
 * computed literally would saturate: see `GeometricOutput` and prefer `'rank'` for metrics.
 *
 * Orientation: z_H larger = more normal (ID embeddings lie far from the origin); AS (default)
 * and `'rank'` (= -z_H) are higher = more anomalous.
 *
 * @param embedding [batch, dim] points of the Poincare ball (e.g. the ToPoincare output).
 * @param options `k` (< 0, required), `output` ('anomaly' | 'rank' | 'z'), `asTensor`, `batchSize` (8192).
 */
export function hyperbolicScore<O extends HyperbolicScoreOptions = HyperbolicScoreOptions & { asTensor?: false }>(
  embedding: tf.Tensor,
  options: O,
): ScoreOutput<O> {
  checkOutputOptions(options, [...OUTPUT_OPTION_KEYS, 'output', 'k'], 'hyperbolicScore');
  assertCurvatureNegative(options.k, 'hyperbolicScore');
  const output = options.output ?? 'anomaly';
  assertOneOf(output, GEOMETRIC_OUTPUTS, 'hyperbolicScore: output');
  assertMatrix(embedding, 'hyperbolicScore: embedding', 'dim');
  assertFinite(embedding, 'hyperbolicScore: embedding');
  assertInsideBall(embedding, options.k, 'hyperbolicScore');
  const k = options.k;
  return scoreRows([embedding], ([e]) => orientGeometricScore(hyperbolicZ(e as tf.Tensor2D, k), output, 'normal'), options);
}
