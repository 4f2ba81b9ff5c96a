import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InterruptedError } from '../experiment-error';
import type { FloatImages } from '../tasks/ood/data/load-data';
import { gatherRows } from '../tasks/ood/train/train-model';

/** Rows per forward pass at evaluation time. */
export const PREDICT_BATCH_ROWS = 500;

/** A model's outputs on a whole image set, as one tensor per output (the caller disposes them). */
export async function predictAll(model: tfl.LayersModel, images: FloatImages, signal?: AbortSignal): Promise<tf.Tensor2D[]> {
  const rows = images.shape[0];
  const identity = Uint32Array.from({ length: rows }, (_, i) => i);
  const chunks: tf.Tensor2D[][] = [];
  for (let start = 0; start < rows; start += PREDICT_BATCH_ROWS) {
    if (signal?.aborted) {
      chunks.flat().forEach((t) => t.dispose());
      throw new InterruptedError('interrupted during evaluation');
    }
    const count = Math.min(PREDICT_BATCH_ROWS, rows - start);
    const out = tf.tidy(() => {
      const y = model.predict(gatherRows(images, identity, start, count));
      return (Array.isArray(y) ? y : [y]) as tf.Tensor2D[];
    });
    chunks.push(out);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const outputs = chunks[0]!.map(
    (_, o) =>
      tf.concat(
        chunks.map((c) => c[o]!),
        0,
      ) as tf.Tensor2D,
  );
  chunks.flat().forEach((t) => t.dispose());
  return outputs;
}

/** Fraction of rows whose argmax of `logits` equals `labels`. */
export function accuracy(logits: tf.Tensor2D, labels: Int32Array): number {
  const argmax = tf.argMax(logits, 1);
  const predicted = argmax.dataSync();
  argmax.dispose();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}
