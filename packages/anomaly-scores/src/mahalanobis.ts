// Mahalanobis detector: Lee, Lee, Lee, Shin, "A Simple Unified Framework for Detecting
// Out-of-Distribution Samples and Adversarial Attacks", NeurIPS 2018. Class-conditional
// Gaussians with one tied covariance fitted on training features (their Eq. 1); the score of a
// feature f is the smallest squared Mahalanobis distance to a class mean (their Eq. 2, negated);
// optional input pre-processing as their Eq. 4. Single layer, no feature ensemble.
import * as tf from '@tensorflow/tfjs-core';
import { choleskyLower, invertLowerTriangular } from './cholesky';
import { AnomalyScoreError } from './errors';
import { stepTowardsNormal } from './input-perturbation';
import type { ModelFunction } from './odin';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import {
  assertFinite,
  assertKnownOptions,
  assertMatrix,
  assertNonNegativeNumber,
  assertPositiveInteger,
  assertTensor,
  describe,
} from './validate';

export interface MahalanobisFitOptions {
  /**
   * Ridge added to the covariance diagonal, relative to the mean feature variance:
   * Sigma + ridge * (trace(Sigma) / D) I. Default 1e-6: enough to keep the Cholesky factor of a
   * covariance with a few dead (constant) features finite, too small to change a well-posed one.
   */
  ridge?: number;
  /** Number of classes; default max(label) + 1. Every class needs at least one sample. */
  numClasses?: number;
}

export interface MahalanobisPerturbOptions extends OutputOptions {
  /**
   * Step size of the pre-processing x' = x - epsilon sign(grad_x min_c d_c(f(x))), in input units.
   * Required: Lee et al. tune it per dataset on validation data (their grid: 0 to 0.2).
   */
  epsilon: number;
}

/** A fitted Mahalanobis detector. Holds two small tensors: call `dispose()` when done. */
export interface MahalanobisDetector {
  readonly numClasses: number;
  readonly dim: number;
  /** Class means, float64, row-major [numClasses * dim]. */
  readonly means: Float64Array;
  /** The regularised tied covariance, float64, row-major [dim * dim]. */
  readonly covariance: Float64Array;
  /**
   * Anomaly score: min_c (f - mu_c)^T Sigma^-1 (f - mu_c), the squared Mahalanobis distance to the
   * closest class mean. Higher = more anomalous. `features`: [batch, dim].
   */
  score<O extends OutputOptions = OutputOptions & { asTensor?: false }>(features: tf.Tensor, options?: O): ScoreOutput<O>;
  /**
   * The same score after Lee et al.'s input pre-processing: x' = x - epsilon sign(grad_x min_c d_c(f(x))),
   * a step that brings the features closer to their nearest class mean. `featureFunction` maps a
   * batch of inputs to [batch, dim] features and must be differentiable.
   */
  perturbedScore<O extends MahalanobisPerturbOptions = MahalanobisPerturbOptions & { asTensor?: false }>(
    featureFunction: ModelFunction,
    x: tf.Tensor,
    options: O,
  ): ScoreOutput<O>;
  dispose(): void;
}

/** Largest [rows, classes, dim] block materialised per chunk: 4M float32 = 16 MB. */
const MAX_BLOCK_ELEMENTS = 1 << 22;

/** Rows per chunk of the perturbed score: each costs a backward pass through the feature function. */
const PERTURB_DEFAULT_BATCH_ROWS = 128;

function readLabels(labels: unknown, rows: number): Int32Array {
  let values: ArrayLike<number>;
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1)
      throw new AnomalyScoreError(`fitMahalanobis: labels must be rank 1 [batch], got shape [${labels.shape.join(', ')}].`);
    values = labels.dataSync();
  } else if (labels !== null && typeof labels === 'object' && typeof (labels as ArrayLike<number>).length === 'number') {
    values = labels as ArrayLike<number>;
  } else {
    throw new AnomalyScoreError(`fitMahalanobis: labels must be a rank-1 tensor or an array of class indices, got ${describe(labels)}.`);
  }
  if (values.length !== rows) {
    throw new AnomalyScoreError(`fitMahalanobis: ${values.length} labels for ${rows} feature rows; pass one class index per row.`);
  }
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new AnomalyScoreError(`fitMahalanobis: label ${i} is ${v}; labels must be class indices 0, 1, 2, ...`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Fits the Mahalanobis detector of Lee et al. (NeurIPS 2018) on training features: one mean per
 * class and one tied covariance Sigma = 1/N sum_i (f_i - mu_{y_i})(f_i - mu_{y_i})^T, plus a small
 * relative ridge. Means, covariance and its Cholesky factor are computed in float64 in plain JS
 * (O(N D^2 + D^3); meant for D up to a few hundred); scoring runs on tfjs with the whitening
 * matrix L^-T, so a squared distance is a squared Euclidean norm of whitened features.
 *
 * @param features [N, D] training features (e.g. the penultimate layer), finite.
 * @param labels N class indices (rank-1 tensor or array).
 * @param options `ridge` (default 1e-6, relative), `numClasses` (default max label + 1).
 */
export function fitMahalanobis(
  features: tf.Tensor,
  labels: tf.Tensor | ArrayLike<number>,
  options: MahalanobisFitOptions = {},
): MahalanobisDetector {
  const fn = 'fitMahalanobis';
  assertKnownOptions(options, ['ridge', 'numClasses'], fn);
  const ridge = options.ridge ?? 1e-6;
  assertNonNegativeNumber(ridge, `${fn}: ridge`);
  assertMatrix(features, `${fn}: features`, 'dim');
  assertFinite(features, `${fn}: features`);
  const [n, dim] = features.shape as [number, number];
  if (n === 0) throw new AnomalyScoreError(`${fn}: features has no rows; fit on at least one sample per class.`);
  const y = readLabels(labels, n);
  const maxLabel = y.reduce((m, v) => Math.max(m, v), 0);
  const numClasses = options.numClasses ?? maxLabel + 1;
  assertPositiveInteger(numClasses, `${fn}: numClasses`);
  if (maxLabel >= numClasses) throw new AnomalyScoreError(`${fn}: label ${maxLabel} is not below numClasses = ${numClasses}.`);

  const f = features.dataSync();
  const counts = new Float64Array(numClasses);
  const means = new Float64Array(numClasses * dim);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    counts[c]! += 1;
    for (let d = 0; d < dim; d++) means[c * dim + d]! += f[i * dim + d]!;
  }
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] === 0)
      throw new AnomalyScoreError(`${fn}: class ${c} has no training sample; every class 0..${numClasses - 1} needs one.`);
    for (let d = 0; d < dim; d++) means[c * dim + d]! /= counts[c]!;
  }

  // Scatter of the class-centred features, lower triangle, then mirrored.
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    for (let d = 0; d < dim; d++) centred[d] = f[i * dim + d]! - means[c * dim + d]!;
    for (let a = 0; a < dim; a++) {
      const va = centred[a]!;
      if (va === 0) continue;
      const row = a * dim;
      for (let b = 0; b <= a; b++) cov[row + b]! += va * centred[b]!;
    }
  }
  let trace = 0;
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b <= a; b++) {
      cov[a * dim + b]! /= n;
      cov[b * dim + a] = cov[a * dim + b]!;
    }
    trace += cov[a * dim + a]!;
  }
  const lambda = ridge * (trace / dim);
  for (let a = 0; a < dim; a++) cov[a * dim + a]! += lambda;

  const lInv = invertLowerTriangular(choleskyLower(cov, dim), dim);
  // Row vectors: d_c(f) = || (f - mu_c) L^-T ||^2, so the whitening matrix is W = L^-T.
  const whitening = new Float32Array(dim * dim);
  for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) whitening[a * dim + b] = lInv[b * dim + a]!;
  const whitenedMeans = new Float32Array(numClasses * dim);
  for (let c = 0; c < numClasses; c++) {
    for (let b = 0; b < dim; b++) {
      let s = 0;
      for (let a = 0; a <= b; a++) s += means[c * dim + a]! * lInv[b * dim + a]!;
      whitenedMeans[c * dim + b] = s;
    }
  }
  const w = tf.tensor2d(whitening, [dim, dim]);
  const muW = tf.tensor2d(whitenedMeans, [numClasses, dim]);
  const rowsPerBlock = Math.max(1, Math.floor(MAX_BLOCK_ELEMENTS / (numClasses * dim)));

  const minDistance = (feats: tf.Tensor2D): tf.Tensor1D => {
    const diff = tf.sub(tf.expandDims(tf.matMul(feats, w), 1), tf.expandDims(muW, 0));
    return tf.min(tf.sum(tf.square(diff), 2), 1) as tf.Tensor1D;
  };
  function checkFeatures(t: unknown, name: string): asserts t is tf.Tensor2D {
    assertMatrix(t, name, 'dim');
    if (t.shape[1] !== dim) throw new AnomalyScoreError(`${name} has ${t.shape[1]} columns but the detector was fitted on ${dim}.`);
  }
  let disposed = false;
  const checkLive = (method: string) => {
    if (disposed) throw new AnomalyScoreError(`MahalanobisDetector.${method}: the detector was disposed; fit a new one.`);
  };

  return {
    numClasses,
    dim,
    means,
    covariance: cov,
    score<O extends OutputOptions = OutputOptions & { asTensor?: false }>(feats: tf.Tensor, scoreOptions: O = {} as O): ScoreOutput<O> {
      checkLive('score');
      checkOutputOptions(scoreOptions, OUTPUT_OPTION_KEYS, 'MahalanobisDetector.score');
      checkFeatures(feats, 'MahalanobisDetector.score: features');
      assertFinite(feats, 'MahalanobisDetector.score: features');
      const batchSize = Math.min(rowsPerBlock, scoreOptions.batchSize ?? rowsPerBlock);
      return scoreRows([feats], ([chunk]) => minDistance(chunk as tf.Tensor2D), { ...scoreOptions, batchSize } as O);
    },
    perturbedScore<O extends MahalanobisPerturbOptions = MahalanobisPerturbOptions & { asTensor?: false }>(
      featureFunction: ModelFunction,
      x: tf.Tensor,
      perturbOptions: O,
    ): ScoreOutput<O> {
      const name = 'MahalanobisDetector.perturbedScore';
      checkLive('perturbedScore');
      checkOutputOptions(perturbOptions, [...OUTPUT_OPTION_KEYS, 'epsilon'], name);
      assertNonNegativeNumber(perturbOptions.epsilon, `${name}: epsilon`);
      if (typeof featureFunction !== 'function') {
        throw new AnomalyScoreError(
          `${name}: featureFunction must be a function (x: tf.Tensor) => tf.Tensor, got ${typeof featureFunction}.`,
        );
      }
      assertTensor(x, `${name}: x`);
      assertFinite(x, `${name}: x`);
      const features = (input: tf.Tensor, rowOffset: number): tf.Tensor2D => {
        const out = featureFunction(input);
        checkFeatures(out, `${name}: featureFunction output`);
        // A NaN feature would give a NaN gradient step and a NaN score: say so instead.
        assertFinite(out, `${name}: featureFunction output`, {
          rowOffset,
          hint: 'Check the feature extractor (overflow, division by zero, diverged weights) on these inputs before scoring.',
        });
        return out;
      };
      const batch = Math.min(rowsPerBlock, perturbOptions.batchSize ?? PERTURB_DEFAULT_BATCH_ROWS);
      return scoreRows(
        [x],
        ([chunk], start) => {
          const normality = (input: tf.Tensor) => tf.neg(minDistance(features(input, start)));
          const moved = stepTowardsNormal(tf.cast(chunk!, 'float32'), normality, perturbOptions.epsilon, name, start);
          return minDistance(features(moved, start));
        },
        { ...perturbOptions, batchSize: batch } as O,
      );
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      w.dispose();
      muW.dispose();
    },
  };
}
