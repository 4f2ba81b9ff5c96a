// Runnable example: `cd packages/backbones && pnpm build && node examples/quickstart.mjs`
// Builds a backbone from the registry, puts a 10-class head on it, trains two steps on random data
// on the wasm backend and prints the embedding and logits shapes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { createBackbone, listBackbones, parameterCount, withClassifier } from '@curvad/backbones';
import { initBackend } from '@curvad/runtime';

await initBackend({ backend: 'wasm' });
console.log('backbones:', listBackbones().join(', '));

const backbone = createBackbone('small-cnn', { seed: 42 }); // 28x28x1 -> 128-d embedding
const model = withClassifier(backbone, 10); // image -> 10 logits, sharing the backbone's weights
console.log('parameters:', parameterCount(model));

model.compile({
  optimizer: tf.train.adam(1e-3),
  loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits),
});
const images = tf.randomUniform([8, 28, 28, 1]);
const labels = tf.oneHot(tf.randomUniform([8], 0, 10, 'int32'), 10);
for (let step = 0; step < 2; step++) {
  console.log(`step ${step}: loss ${(await model.trainOnBatch(images, labels)).toFixed(4)}`);
}

const embedding = backbone.predict(images); // the layer named 'embedding'
const logits = model.predict(images);
console.log('embedding', embedding.shape, 'logits', logits.shape);
tf.dispose([images, labels, embedding, logits]);
model.dispose(); // frees the backbone's weights too
