// The images a model is evaluated on: a dataset's uint8 ImageSet (converted to float one batch at a
// time by the datasets pipeline, never as a whole) or images generated as float32 (noise sets).
import { batches, type ImageSet, type Normalization, takeImages } from '@curvad/datasets';
import { tensorBatches } from '@curvad/datasets/tfjs';
import * as tf from '@tensorflow/tfjs-core';

/** Images generated as float32 in [0, 1], NHWC (noise OOD sets). */
export interface FloatImages {
  x: Float32Array;
  shape: [number, number, number, number];
}

/**
 * A dataset's uint8 images with the normalization the pipeline applies to each batch of them
 * (`batches({ normalize })`; absent: v / 255), e.g. an experiment's input standardization.
 */
export type PipelineImages = ImageSet & { normalize?: Normalization };

export type EvalImages = PipelineImages | FloatImages;

export function isImageSet(images: EvalImages): images is PipelineImages {
  return 'images' in images;
}

export function rowCount(images: EvalImages): number {
  return images.shape[0];
}

/** The first `count` rows (all when there are fewer), e.g. the points of an embedding plot. */
export function firstRows(images: EvalImages, count: number): EvalImages {
  const rows = Math.min(count, rowCount(images));
  if (isImageSet(images)) {
    const first = takeImages(
      images,
      Uint32Array.from({ length: rows }, (_, i) => i),
    );
    return images.normalize ? { ...first, normalize: images.normalize } : first;
  }
  const [, h, w, c] = images.shape;
  return { x: images.x.subarray(0, rows * h * w * c), shape: [rows, h, w, c] };
}

function* floatBatches(images: FloatImages, batchSize: number): Generator<tf.Tensor4D, void, undefined> {
  const [n, h, w, c] = images.shape;
  const per = h * w * c;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const batch = tf.tensor4d(images.x.subarray(start * per, (start + count) * per), [count, h, w, c]);
    try {
      yield batch;
    } finally {
      batch.dispose();
    }
  }
}

/**
 * The rows in order as float32 NHWC tensors of `batchSize` rows (the last may be smaller), each
 * valid until the next is requested: the generator disposes it (also on break or throw).
 */
export function* imageTensors(images: EvalImages, batchSize: number): Generator<tf.Tensor4D, void, undefined> {
  if (!isImageSet(images)) {
    yield* floatBatches(images, batchSize);
    return;
  }
  const normalize = images.normalize ? { normalize: images.normalize } : {};
  for (const batch of tensorBatches(batches(images, { batchSize, shuffle: false, ...normalize }))) yield batch.images;
}
