// The one prediction path of the app: a model's outputs over an image set, batch by batch from the
// datasets pipeline (per-epoch accuracy, scoring, embedding plots, ODIN's input pass).
import { predictBatches } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InterruptedError } from '../experiment-error';
import { type EvalImages, imageTensors } from './eval-images';

/** Rows per forward pass at evaluation time (memory: 500 CIFAR images are 6 MB of float32 input). */
export const PREDICT_BATCH_ROWS = 500;

/**
 * The model's outputs (inference mode) on every row of `images`, one tensor per output (the caller
 * disposes them). Aborting `signal` stops between batches with an InterruptedError.
 */
export async function predict(model: tfl.LayersModel, images: EvalImages, signal?: AbortSignal): Promise<tf.Tensor2D[]> {
  const outputs = await predictBatches(model, imageTensors(images, PREDICT_BATCH_ROWS), {
    ...(signal ? { signal } : {}),
    onAbort: () => new InterruptedError('interrupted during evaluation'),
  });
  return outputs as tf.Tensor2D[];
}

/**
 * `score(x)` of every batch of `images` (PREDICT_BATCH_ROWS rows each), concatenated in row order:
 * for detectors that need the input itself (ODIN's gradient step), never the whole set as one tensor.
 */
export function scoreInBatches(images: EvalImages, score: (x: tf.Tensor4D) => Float32Array): Float32Array {
  const parts: Float32Array[] = [];
  for (const x of imageTensors(images, PREDICT_BATCH_ROWS)) parts.push(score(x));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Fraction of rows whose argmax of `logits` equals `labels`. */
export function accuracy(logits: tf.Tensor2D, labels: ArrayLike<number>): number {
  const argmax = tf.argMax(logits, 1);
  const predicted = argmax.dataSync();
  argmax.dispose();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}
