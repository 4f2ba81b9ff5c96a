// The app's one prediction path: batch by batch from the datasets pipeline, equal to one forward pass
// over the whole set, leak-free over repeated calls.
import type { ImageSet } from '@curvad/datasets';
import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { InterruptedError } from '../experiment-error';
import type { FloatImages } from './eval-images';
import { accuracy, PREDICT_BATCH_ROWS, predict, scoreInBatches } from './predict';

/** More rows than two prediction batches, so a set spans three (the last one partial). */
const ROWS = 2 * PREDICT_BATCH_ROWS + 37;

function imageSet(): ImageSet {
  return {
    images: Uint8Array.from({ length: ROWS * 4 * 4 }, (_, i) => (i * 37) % 256),
    labels: Uint8Array.from({ length: ROWS }, (_, i) => i % 3),
    shape: [ROWS, 4, 4, 1],
  };
}

function twoOutputModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4, 4, 1] });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  const a = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(flat);
  const b = tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(flat);
  return tfl.model({ inputs: input, outputs: [a as tfl.SymbolicTensor, b as tfl.SymbolicTensor] });
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('predict', () => {
  test('equals one forward pass over the whole set, per output (uint8 set normalized to [0, 1])', async () => {
    const model = twoOutputModel();
    const set = imageSet();
    const batched = await predict(model, set);
    const whole = tf.tidy(
      () =>
        model.predict(
          tf.tensor4d(
            Float32Array.from(set.images, (v) => v / 255),
            set.shape,
          ),
        ) as tf.Tensor[],
    );
    expect(batched.map((t) => t.shape)).toEqual([
      [ROWS, 3],
      [ROWS, 2],
    ]);
    for (const [o, t] of batched.entries()) expect(Array.from(t.dataSync())).toEqual(Array.from(whole[o]!.dataSync()));
    tf.dispose([...batched, ...whole]);
    model.dispose();
  });

  test('float images (noise sets) go the same way', async () => {
    const model = twoOutputModel();
    const x = Float32Array.from({ length: ROWS * 16 }, (_, i) => (i % 101) / 100);
    const images: FloatImages = { x, shape: [ROWS, 4, 4, 1] };
    const [batched] = await predict(model, images);
    const whole = tf.tidy(() => (model.predict(tf.tensor4d(x, images.shape)) as tf.Tensor[])[0]!);
    expect(Array.from(batched!.dataSync())).toEqual(Array.from(whole.dataSync()));
    tf.dispose([batched!, whole]);
    model.dispose();
  });

  test('no tensor outlives a call but the outputs: repeated calls do not grow the tensor count', async () => {
    const model = twoOutputModel();
    const set = imageSet();
    tf.dispose(await predict(model, set));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(await predict(model, set));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('an aborted signal stops with an InterruptedError and frees what it made', async () => {
    const model = twoOutputModel();
    tf.dispose(await predict(model, imageSet()));
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await expect(predict(model, imageSet(), controller.signal)).rejects.toBeInstanceOf(InterruptedError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

test('scoreInBatches: batches of PREDICT_BATCH_ROWS rows, results concatenated in row order', () => {
  const sizes: number[] = [];
  const scores = scoreInBatches(imageSet(), (x) => {
    sizes.push(x.shape[0]);
    // The first pixel of each row, as a score: shows which rows came in which order.
    const first = tf.tidy(() => tf.reshape(tf.slice(x, [0, 0, 0, 0], [-1, 1, 1, 1]), [-1]));
    const values = first.dataSync() as Float32Array;
    first.dispose();
    return values;
  });
  expect(sizes).toEqual([PREDICT_BATCH_ROWS, PREDICT_BATCH_ROWS, 37]);
  const set = imageSet();
  expect(Array.from(scores)).toEqual(Array.from({ length: ROWS }, (_, i) => Math.fround(set.images[i * 16]! / 255)));
});

test('accuracy: the share of rows whose argmax is the label', () => {
  const logits = tf.tensor2d([
    [1, 0, 0],
    [0, 2, 1],
    [0, 0, 3],
    [5, 1, 0],
  ]);
  expect(accuracy(logits, [0, 1, 1, 0])).toBe(0.75);
  logits.dispose();
});
