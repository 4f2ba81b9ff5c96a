import { expectNoLeak, initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { patchSvddPositionClassifier } from './patch-svdd';
import { createBackbone } from './registry';
import { withClassifier } from './with-classifier';

const builds: [string, () => tfl.LayersModel, number[][]][] = [
  ['conv4', () => createBackbone('conv4'), [[2, 28, 28, 1]]],
  [
    'conv-stack (batch norm, avg-pool, global average)',
    () =>
      createBackbone('conv-stack', {
        inputShape: [12, 12, 1],
        layers: [{ filters: 4, kernelSize: 3, batchNorm: true, pool: { kind: 'avg', size: 2 } }],
        reduce: 'global-average',
      }),
    [[2, 12, 12, 1]],
  ],
  ['small-cnn + classifier', () => withClassifier(createBackbone('small-cnn'), 10), [[2, 28, 28, 1]]],
  [
    'wide-resnet (WRN-10-1, dropout)',
    () => createBackbone('wide-resnet', { depth: 10, widen: 1, dropRate: 0.3, inputShape: [8, 8, 3] }),
    [[2, 8, 8, 3]],
  ],
  ['densenet-bc (10)', () => createBackbone('densenet-bc', { depth: 10, inputShape: [8, 8, 3] }), [[2, 8, 8, 3]]],
  ['patch-svdd-64', () => createBackbone('patch-svdd-64'), [[1, 64, 64, 3]]],
  [
    'position classifier',
    () => patchSvddPositionClassifier(),
    [
      [2, 64],
      [2, 64],
    ],
  ],
  ['segmentation-unet', () => createBackbone('segmentation-unet', { depth: 2, width: 4, inputShape: [16, 16, 3] }), [[1, 16, 16, 3]]],
];

// wasm runs the forward passes several times faster than the pure-JS cpu backend.
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('memory', () => {
  for (const [name, build, shapes] of builds) {
    it(`${name}: repeated predict calls do not grow tf.memory().numTensors, and dispose frees the weights`, async () => {
      const before = tf.memory().numTensors;
      const model = build();
      const inputs = shapes.map((s) => tf.randomNormal(s));
      const feed = inputs.length === 1 ? inputs[0]! : inputs;
      await expectNoLeak(() => model.predict(feed), { runs: 3, label: `${name}.predict` });
      tf.dispose(inputs);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
