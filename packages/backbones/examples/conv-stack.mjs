// Runnable example: `cd packages/backbones && pnpm build && node examples/conv-stack.mjs`
// Describes the Fashion-MNIST CNN of issue 14 as data (no layer code), puts a 10-class head on it,
// trains two steps on random data on the wasm backend, and shows the error a bad description gets.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import { BackboneError, createBackbone, parameterCount, withClassifier } from '@curvad/backbones';
import { initBackend } from '@curvad/runtime';

await initBackend({ backend: 'wasm' });

// "3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool, dense 128 + ReLU"
const description = {
  inputShape: [28, 28, 1],
  layers: [
    { filters: 32, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
    { filters: 64, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
  ],
  dense: [128],
  seed: 42,
};
const backbone = createBackbone('conv-stack', description);
console.log('embedding', backbone.outputs[0].shape, 'parameters', parameterCount(backbone).trainable); // [null, 128] 223744

const model = withClassifier(backbone, 10);
model.compile({ optimizer: tf.train.adam(1e-3), loss: (labels, logits) => tf.losses.softmaxCrossEntropy(labels, logits) });
const images = tf.randomNormal([8, 28, 28, 1]);
const labels = tf.oneHot(tf.randomUniform([8], 0, 10, 'int32'), 10);
for (let step = 0; step < 2; step++) {
  console.log(`step ${step}: loss ${(await model.trainOnBatch(images, labels)).toFixed(4)}`);
}
tf.dispose([images, labels]);
model.dispose(); // frees the backbone's weights too

// A description that cannot work fails before any layer is built, naming the layer and the sizes.
try {
  createBackbone('conv-stack', { ...description, inputShape: [8, 8, 1] });
} catch (error) {
  if (!BackboneError.isInstance(error)) throw error;
  console.log(error.message);
}
