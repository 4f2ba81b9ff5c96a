// Run from the repository root after `pnpm --filter @curvad/runtime build`:
//   node packages/runtime/examples/quick-start.mjs
// Picks the fastest backend, seeds everything, trains a small conv net with dropout for a few
// steps, and checks that a training step leaks no tensors.

import { expectNoLeak, initBackend, rng, seed } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers'; // also registers the gradients

const choice = await initBackend(); // logs e.g. "using backend 'wasm' (...); skipped tfjs-node-gpu: not installed; ..."
seed(42); // weight init, dropout, fit's shuffle, and rng() are now reproducible

const model = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dropout({ rate: 0.25 }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  ],
});
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });

// Synthetic data drawn from the seeded generator (augmentation code should use rng() too).
const images = tf.tensor4d(
  Float32Array.from({ length: 64 * 28 * 28 }, () => rng()),
  [64, 28, 28, 1],
);
const labels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 64 }, () => Math.floor(rng() * 10)),
    'int32',
  ),
  10,
);

const history = await model.fit(images, labels, { epochs: 2, batchSize: 16, shuffle: true, verbose: 0 });
console.log(`backend ${choice.backend}; losses ${history.history.loss.map((l) => Number(l).toFixed(4)).join(', ')}`);

await expectNoLeak(() => model.trainOnBatch(images, labels), { label: 'trainOnBatch' });
console.log('a training step leaks no tensors');
