// The adapter is the only tfjs user; the project runs without the shared tfjs setup, so this file
// registers the cpu backend itself.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { batches } from '../pipeline/batches.js';
import { denseSet } from '../test-support/toy-sets.js';
import { batchToTensors, imageSetToTensor, tensorBatches } from './tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const set = denseSet(10, 3, 3, 2, 4);

describe('tensor adapter', () => {
  it('batchToTensors gives float32 NHWC images and int32 labels with the batch values', () => {
    const b = [...batches(set, { batchSize: 4, seed: 2 })][0]!;
    const t = batchToTensors(b);
    expect(t.images.shape).toEqual([4, 3, 3, 2]);
    expect(t.images.dtype).toBe('float32');
    expect(t.labels.dtype).toBe('int32');
    expect(Array.from(t.images.dataSync())).toEqual(Array.from(b.images));
    expect(Array.from(t.labels.dataSync())).toEqual(Array.from(b.labels));
    t.images.dispose();
    t.labels.dispose();
  });

  it('tensorBatches leaks nothing: full loops, early break and a throwing consumer', () => {
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 3; epoch++) {
      let n = 0;
      for (const t of tensorBatches(batches(set, { batchSize: 3, seed: 1, epoch }))) {
        // only the current batch is alive
        expect(tf.memory().numTensors).toBe(before + 2);
        n += t.images.shape[0];
      }
      expect(n).toBe(10);
      expect(tf.memory().numTensors).toBe(before);
    }
    for (const t of tensorBatches(batches(set, { batchSize: 3 }))) {
      expect(t.labels.shape).toEqual([3]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => {
      for (const _ of tensorBatches(batches(set, { batchSize: 3 }))) throw new Error('consumer failed');
    }).toThrow('consumer failed');
    expect(tf.memory().numTensors).toBe(before);
    const masks = new Uint8Array(10 * 9).fill(1);
    for (const t of tensorBatches(batches(set, { batchSize: 5, masks }))) expect(t.masks?.shape).toEqual([5, 3, 3]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('imageSetToTensor normalizes the whole set', () => {
    const t = imageSetToTensor(set);
    expect(t.shape).toEqual([10, 3, 3, 2]);
    expect(t.dataSync()[5]).toBeCloseTo(set.images[5]! / 255, 6);
    t.dispose();
  });
});
