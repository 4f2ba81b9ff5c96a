// DataParallelTrainer: one training batch split across this thread and a worker thread.
// Run `pnpm turbo run build --filter=@curvad/data-parallel`, then `node tools/data-parallel/examples/data-parallel.mjs`.

import { DataParallelTrainer } from '@curvad/data-parallel';
import { initBackend, rng, seed } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

await initBackend({ backend: 'wasm', log: false });
seed(7);
const model = tfl.sequential({
  layers: [
    tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    tfl.layers.maxPooling2d({ poolSize: 2 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 10 }),
  ],
});
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

const trainer = await DataParallelTrainer.create(model, { loss: 'softmaxCrossEntropy', optimizer: tf.train.adam(1e-3), threads: 2 });
const losses = [];
for (let step = 0; step < 5; step++) losses.push(await trainer.step(images, labels));
await trainer.dispose();
console.log(`${trainer.threads} threads; losses ${losses.map((l) => l.toFixed(4)).join(', ')}`);
tf.dispose([images, labels]);
model.dispose();
