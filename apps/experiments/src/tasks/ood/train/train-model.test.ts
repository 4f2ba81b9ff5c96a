// Training of the OOD task: the learning-rate schedule as the config sets it, and the epoch's
// batches (the seeded order, labels as targets) that geo-layers' fit consumes.
import type { ImageSet } from '@curvad/datasets';
import { initBackend } from '@curvad/runtime';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseOodConfig } from '../config/ood-config';
import { TINY_MNIST_HOLDOUT } from '../test-support';
import { learningRateSchedule, makeOptimizer, trainBatches } from './train-model';

const config = (optimizer: Record<string, unknown>) =>
  parseOodConfig({ name: 'train', ...TINY_MNIST_HOLDOUT, models: ['baseline'], epochs: 6, batchSize: 4, trials: 1, optimizer });

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('learningRateSchedule', () => {
  test('the base rate, x gamma from each milestone on', () => {
    const schedule = learningRateSchedule(config({ name: 'momentum', learningRate: 0.1, gamma: 0.1, milestones: [2, 4] }));
    expect(Array.from({ length: 6 }, (_, e) => schedule(e))).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1, 0.1 * 0.1 ** 2, 0.1 * 0.1 ** 2]);
  });

  test('no milestones: a constant rate', () => {
    const schedule = learningRateSchedule(config({ name: 'adam', learningRate: 2e-3 }));
    expect([0, 3, 5].map(schedule)).toEqual([2e-3, 2e-3, 2e-3]);
  });

  test('the optimizer the config names, at its base rate', () => {
    const optimizer = makeOptimizer(config({ name: 'momentum', learningRate: 0.05, momentum: 0.8 }));
    expect(optimizer.getClassName()).toBe('Momentum');
    expect(optimizer.getConfig()).toMatchObject({ learningRate: 0.05, momentum: 0.8 });
    optimizer.dispose();
  });
});

test('trainBatches: the rows of `order` batchSize at a time, pixels in [0, 1], labels as int32 targets', () => {
  const set: ImageSet = {
    images: Uint8Array.from([0, 51, 102, 153, 204, 255, 10]),
    labels: Uint8Array.from([0, 1, 2, 0, 1, 2, 1]),
    shape: [7, 1, 1, 1],
  };
  const seen: { x: number[]; y: number[]; dtype: string }[] = [];
  for (const batch of trainBatches(set, 3, [5, 0, 6, 2, 1, 4, 3])) {
    seen.push({
      x: Array.from((batch.inputs as tf.Tensor).dataSync()),
      y: Array.from(batch.targets.dataSync()),
      dtype: batch.targets.dtype,
    });
  }
  expect(seen.map((s) => s.y)).toEqual([[2, 0, 1], [2, 1, 1], [0]]);
  expect(seen[0]!.x).toEqual([1, 0, Math.fround(10 / 255)]);
  expect(seen.every((s) => s.dtype === 'int32')).toBe(true);
});
