// KNN detector: Sun, Ming, Zhu, Li, "Out-of-Distribution Detection with Deep Nearest Neighbors",
// ICML 2022. Features are L2-normalised; the score is the distance from a test feature to its
// k-th nearest training feature. `normalize: false` keeps the raw features (plain Euclidean nearest
// neighbours, as Patch-SVDD's scoring of patch embeddings).
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertBoolean, assertFinite, assertKnownOptions, assertMatrix, assertPositiveInteger } from './validate';

export interface KnnFitOptions {
  /** Which neighbour's distance is the score. Default 50 (Sun et al. on CIFAR-10 with all training data). */
  k?: number;
  /** Training rows per similarity block. Default 8192; lower it to cap memory (test rows x this x 4 bytes). */
  trainBlockSize?: number;
  /**
   * L2-normalise training and test features first (default true, Sun et al.). false: the raw Euclidean
   * distance ||f - f_(k)|| (Patch-SVDD's nearest training patch), computed as sqrt(|f|^2 + |t|^2 - 2 f.t)
   * in float32, so its resolution is about 1e-3 of the feature norm for near-duplicates.
   */
  normalize?: boolean;
}

/** A fitted KNN detector; holds the normalised training features as tensors: call `dispose()` when done. */
export interface KnnDetector {
  readonly k: number;
  /** Number of training features. */
  readonly size: number;
  readonly dim: number;
  /** Whether features are L2-normalised before the distances (the fit option `normalize`). */
  readonly normalize: boolean;
  /**
   * Anomaly score: ||z - z_(k)||, the Euclidean distance from the normalised feature z to its k-th
   * nearest normalised training feature, in [0, 2] (with `normalize: false`, between the raw features,
   * in [0, inf)). Higher = more anomalous. `features`: [batch, dim].
   */
  score<O extends OutputOptions = OutputOptions & { asTensor?: false }>(features: tf.Tensor, options?: O): ScoreOutput<O>;
  dispose(): void;
}

/** Floor on the feature norm before dividing: a zero feature stays zero (distance sqrt 2 to every unit vector). */
export const NORMALIZE_EPS = 1e-12;
/** Test rows per chunk: with 8192-row training blocks, a chunk's similarity matrix is 32 MB. */
const KNN_DEFAULT_BATCH_ROWS = 1024;
const KNN_DEFAULT_K = 50;
const KNN_DEFAULT_TRAIN_BLOCK = 8192;

function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), NORMALIZE_EPS)) as tf.Tensor2D;
}

/**
 * Fits the KNN detector of Sun et al. (ICML 2022): stores the L2-normalised training features.
 * Scoring computes cosine similarities by blocked matrix products on tfjs and keeps a running
 * top-k per test row, so neither the full similarity matrix nor a sort of it is ever built.
 * Distances come from 2 - 2 cos in float32: resolution about 3e-4 for near-duplicates.
 * With `normalize: false` the blocks rank -|t|^2/2 + f.t instead (the same order as -|f - t|).
 *
 * @param trainFeatures [N, D] training (in-distribution) features, N >= k.
 * @param options `k` (default 50), `trainBlockSize` (default 8192), `normalize` (default true).
 */
export function fitKnn(trainFeatures: tf.Tensor, options: KnnFitOptions = {}): KnnDetector {
  const fn = 'fitKnn';
  assertKnownOptions(options, ['k', 'trainBlockSize', 'normalize'], fn);
  const normalize = options.normalize ?? true;
  assertBoolean(normalize, `${fn}: normalize`);
  const k = options.k ?? KNN_DEFAULT_K;
  assertPositiveInteger(k, `${fn}: k`);
  const block = options.trainBlockSize ?? KNN_DEFAULT_TRAIN_BLOCK;
  assertPositiveInteger(block, `${fn}: trainBlockSize`);
  assertMatrix(trainFeatures, `${fn}: trainFeatures`, 'dim');
  assertFinite(trainFeatures, `${fn}: trainFeatures`);
  const [size, dim] = trainFeatures.shape as [number, number];
  if (size < k) {
    throw new AnomalyScoreError(`${fn}: k = ${k} but there are only ${size} training features; use k <= ${size}.`);
  }
  // Per block: the (normalised) training rows and, for raw features, half their squared norms [1, rows].
  const blocks: tf.Tensor2D[] = [];
  const halfSquaredNorms: tf.Tensor2D[] = [];
  for (let start = 0; start < size; start += block) {
    const rows = Math.min(block, size - start);
    const slice = tf.tidy(() => {
      const raw = tf.slice(trainFeatures as tf.Tensor2D, [start, 0], [rows, dim]);
      return normalize ? normalizeRows(raw) : raw;
    });
    blocks.push(slice);
    if (!normalize) halfSquaredNorms.push(tf.tidy(() => tf.reshape(tf.mul(0.5, tf.sum(tf.square(slice), 1)), [1, rows])));
  }
  let disposed = false;

  // Similarity ranked like -distance: cos for unit rows; f.t - |t|^2 / 2 = (|f|^2 - |f - t|^2) / 2 for raw ones.
  const kthDistance = (features: tf.Tensor2D): tf.Tensor1D => {
    const z = normalize ? normalizeRows(features) : features;
    let best: tf.Tensor2D | undefined;
    blocks.forEach((train, b) => {
      const products = tf.matMul(z, train, false, true);
      const sims = normalize ? products : tf.sub(products, halfSquaredNorms[b]!);
      const top = tf.topk(sims, Math.min(k, train.shape[0])).values as tf.Tensor2D;
      best =
        best === undefined ? top : (tf.topk(tf.concat([best, top], 1), Math.min(k, best.shape[1] + top.shape[1])).values as tf.Tensor2D);
    });
    const kth = tf.slice(best!, [0, k - 1], [-1, 1]);
    const squared = normalize ? tf.sub(2, tf.mul(2, kth)) : tf.sub(tf.sum(tf.square(z), 1, true), tf.mul(2, kth));
    return tf.reshape(tf.sqrt(tf.relu(squared)), [-1]) as tf.Tensor1D;
  };

  return {
    k,
    size,
    dim,
    normalize,
    score<O extends OutputOptions = OutputOptions & { asTensor?: false }>(features: tf.Tensor, scoreOptions: O = {} as O): ScoreOutput<O> {
      const name = 'KnnDetector.score';
      if (disposed) throw new AnomalyScoreError(`${name}: the detector was disposed; fit a new one.`);
      checkOutputOptions(scoreOptions, OUTPUT_OPTION_KEYS, name);
      assertMatrix(features, `${name}: features`, 'dim');
      if (features.shape[1] !== dim) {
        throw new AnomalyScoreError(`${name}: features has ${features.shape[1]} columns but the detector was fitted on ${dim}.`);
      }
      assertFinite(features, `${name}: features`);
      return scoreRows([features], ([chunk]) => kthDistance(chunk as tf.Tensor2D), scoreOptions, KNN_DEFAULT_BATCH_ROWS);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const b of blocks) b.dispose();
      for (const n of halfSquaredNorms) n.dispose();
    },
  };
}
