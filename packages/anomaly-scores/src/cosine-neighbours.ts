// Nearest neighbours by cosine similarity, in blocks: the search of KNN (knn.ts, Sun et al. 2022)
// with a running max instead of a running top-k, and optionally without each query's own row (a
// training set scored against itself, CSI's balancing). Neither the full similarity matrix nor a
// sort of it is ever built: one [query rows, block rows] matMul at a time.
import * as tf from '@tensorflow/tfjs-core';
import { NORMALIZE_EPS } from './knn';

/**
 * Rows divided by their L2 norm (floored at NORMALIZE_EPS, so a zero row stays zero). Differentiable
 * everywhere, also at a zero row: computed as x * rsqrt(max(sum(x^2), eps^2)), not x / max(norm(x),
 * eps), whose gradient at a zero row is 0 * inf = NaN (the derivative of sqrt at 0). A zero row is
 * what a network gives for an all-black crop (ReLU features of a zero input), so training through
 * NT-Xent must not turn it into NaN weights.
 */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), NORMALIZE_EPS * NORMALIZE_EPS))) as tf.Tensor2D);
}

/** The L2-normalised rows of `x` cut into blocks of at most `blockSize` rows (the caller disposes them). */
export function normalizedBlocks(x: tf.Tensor2D, blockSize: number): tf.Tensor2D[] {
  const [rows, dim] = x.shape;
  const blocks: tf.Tensor2D[] = [];
  for (let start = 0; start < rows; start += blockSize) {
    const size = Math.min(blockSize, rows - start);
    blocks.push(tf.tidy(() => normalizeRows(tf.slice(x, [start, 0], [size, dim]))));
  }
  return blocks;
}

/**
 * For each unit row of `queries`, the largest cosine similarity to a row of `blocks` (unit rows, in
 * order). With `selfStart` the queries are rows selfStart, selfStart + 1, ... of the concatenated
 * blocks themselves, and each query skips its own row (leave-one-out). Call inside tf.tidy.
 */
export function maxCosineSimilarity(queries: tf.Tensor2D, blocks: readonly tf.Tensor2D[], selfStart?: number): tf.Tensor1D {
  const queryRows = queries.shape[0];
  let best: tf.Tensor1D | undefined;
  let blockStart = 0;
  for (const block of blocks) {
    const blockRows = block.shape[0];
    let sims: tf.Tensor2D = tf.matMul(queries, block, false, true);
    const overlaps = selfStart !== undefined && selfStart < blockStart + blockRows && blockStart < selfStart + queryRows;
    if (overlaps) {
      const queryIds = tf.expandDims(tf.range(selfStart, selfStart + queryRows, 1, 'int32'), 1);
      const blockIds = tf.expandDims(tf.range(blockStart, blockStart + blockRows, 1, 'int32'), 0);
      sims = tf.where(tf.equal(queryIds, blockIds), tf.fill(sims.shape, Number.NEGATIVE_INFINITY), sims);
    }
    const blockBest = tf.max(sims, 1) as tf.Tensor1D;
    best = best === undefined ? blockBest : (tf.maximum(best, blockBest) as tf.Tensor1D);
    blockStart += blockRows;
  }
  return best ?? (tf.fill([queryRows], Number.NEGATIVE_INFINITY) as tf.Tensor1D);
}
