// The tfjs adapter: the only module that imports @tensorflow/tfjs-core (an optional peer
// dependency), published as the `@curvad/datasets/tfjs` entry so the readers never load tfjs.
import * as tf from '@tensorflow/tfjs-core';
import { DatasetError } from '../errors.js';
import type { ImageSet } from '../image-set.js';
import type { Batch } from '../pipeline/batches.js';
import { type Normalization, normalizePixels } from '../pipeline/normalize.js';

export interface TensorBatch {
  /** float32 [n, h, w, c]. */
  images: tf.Tensor4D;
  /** int32 [n]. */
  labels: tf.Tensor1D;
  /** int32 [n, h, w], when the batch carries masks. */
  masks?: tf.Tensor3D;
  /** The positions of these images in the source set. */
  indices: Uint32Array;
}

/** Tensors for one batch. The caller owns them (dispose them, or use tensorBatches). */
export function batchToTensors(batch: Batch): TensorBatch {
  const [n, h, w, c] = batch.shape;
  if (batch.images.length !== n * h * w * c || batch.labels.length !== n) {
    throw new DatasetError(
      `batchToTensors: images (${batch.images.length} values) and labels (${batch.labels.length}) do not match shape [${batch.shape.join(', ')}].`,
    );
  }
  const out: TensorBatch = {
    images: tf.tensor4d(batch.images, [n, h, w, c], 'float32'),
    labels: tf.tensor1d(Int32Array.from(batch.labels), 'int32'),
    indices: batch.indices,
  };
  if (batch.masks) out.masks = tf.tensor3d(Int32Array.from(batch.masks), [n, h, w], 'int32');
  return out;
}

function disposeBatch(batch: TensorBatch | undefined): void {
  if (batch === undefined) return;
  batch.images.dispose();
  batch.labels.dispose();
  batch.masks?.dispose();
}

/**
 * Tensors for each batch of `batches`, valid until the next step of the loop: the previous batch's
 * tensors are disposed when the next one is requested, and the last one when the loop ends (also
 * on `break` or an exception, through the generator's return). Keep a tensor beyond that with
 * `tf.keep` or `.clone()`.
 */
export function* tensorBatches(batches: Iterable<Batch>): Generator<TensorBatch, void, undefined> {
  let current: TensorBatch | undefined;
  try {
    for (const batch of batches) {
      disposeBatch(current);
      current = undefined;
      current = batchToTensors(batch);
      yield current;
    }
  } finally {
    disposeBatch(current);
  }
}

/** A whole (small) ImageSet as one float32 tensor [n, h, w, c]; for big sets iterate `batches` instead. */
export function imageSetToTensor(set: ImageSet, normalize?: Normalization): tf.Tensor4D {
  const [n, h, w, c] = set.shape;
  return tf.tensor4d(normalizePixels(set.images, c, normalize), [n, h, w, c], 'float32');
}
