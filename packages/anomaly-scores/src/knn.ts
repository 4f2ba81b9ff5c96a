// KNN detector: Sun, Ming, Zhu, Li, "Out-of-Distribution Detection with Deep Nearest Neighbors",
// ICML 2022. Features are L2-normalised; the score is the distance from a test feature to its
// k-th nearest training feature.
import * as tf from '@tensorflow/tfjs-core';
import { AnomalyScoreError } from './errors';
import { checkOutputOptions, OUTPUT_OPTION_KEYS, type OutputOptions, type ScoreOutput, scoreRows } from './output';
import { assertFinite, assertKnownOptions, assertMatrix, assertPositiveInteger } from './validate';

export interface KnnFitOptions {
  /** Which neighbour's distance is the score. Default 50 (Sun et al. on CIFAR-10 with all training data). */
  k?: number;
  /** Training rows per similarity block. Default 8192; lower it to cap memory (test rows x this x 4 bytes). */
  trainBlockSize?: number;
}

/** A fitted KNN detector; holds the normalised training features as tensors: call `dispose()` when done. */
export interface KnnDetector {
  readonly k: number;
  /** Number of training features. */
  readonly size: number;
  readonly dim: number;
  /**
   * Anomaly score: ||z - z_(k)||, the Euclidean distance from the normalised feature z to its k-th
   * nearest normalised training feature, in [0, 2]. Higher = more anomalous. `features`: [batch, dim].
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
 *
 * @param trainFeatures [N, D] training (in-distribution) features, N >= k.
 * @param options `k` (default 50), `trainBlockSize` (default 8192).
 */
export function fitKnn(trainFeatures: tf.Tensor, options: KnnFitOptions = {}): KnnDetector {
  const fn = 'fitKnn';
  assertKnownOptions(options, ['k', 'trainBlockSize'], fn);
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
  const blocks: tf.Tensor2D[] = [];
  for (let start = 0; start < size; start += block) {
    const rows = Math.min(block, size - start);
    blocks.push(tf.tidy(() => normalizeRows(tf.slice(trainFeatures as tf.Tensor2D, [start, 0], [rows, dim]))));
  }
  let disposed = false;

  const kthDistance = (features: tf.Tensor2D): tf.Tensor1D => {
    const z = normalizeRows(features);
    let best: tf.Tensor2D | undefined;
    for (const train of blocks) {
      const sims = tf.matMul(z, train, false, true);
      const top = tf.topk(sims, Math.min(k, train.shape[0])).values as tf.Tensor2D;
      best =
        best === undefined ? top : (tf.topk(tf.concat([best, top], 1), Math.min(k, best.shape[1] + top.shape[1])).values as tf.Tensor2D);
    }
    const kth = tf.slice(best!, [0, k - 1], [-1, 1]);
    return tf.reshape(tf.sqrt(tf.relu(tf.sub(2, tf.mul(2, kth)))), [-1]) as tf.Tensor1D;
  };

  return {
    k,
    size,
    dim,
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
    },
  };
}
