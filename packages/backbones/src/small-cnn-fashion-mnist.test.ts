import { initBackend } from '@curvad/runtime';
import { createUniformStream } from '@curvad/seeded-random';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallCnn } from './small-cnn';
import { FASHION_MNIST_DIR, fashionMnistInstalled, type GreyImages, readFashionMnist } from './test-support/fashion-mnist-idx';
import { withClassifier } from './with-classifier';

const TRAIN_IMAGES = 6000;
const TEST_IMAGES = 1000;
const CLASSES = 10;
/** Adam at 3e-3 with batches of 50: 120 steps, each image seen once. */
const BATCH_SIZE = 50;
const LEARNING_RATE = 0.003;
const SEED = 3;
const REQUIRED_ACCURACY = 0.8;

const installed = fashionMnistInstalled();
if (!installed) {
  console.warn(`Skipping the Fashion-MNIST training check: no IDX files in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist).`);
}

/** Pixels scaled to [0, 1], then centred with the training subset's mean and std. */
function toTensor(images: GreyImages, order: number[], mean: number, std: number): tf.Tensor4D {
  const size = images.height * images.width;
  const data = new Float32Array(order.length * size);
  order.forEach((src, dst) => {
    for (let p = 0; p < size; p++) data[dst * size + p] = (images.pixels[src * size + p]! / 255 - mean) / std;
  });
  return tf.tensor4d(data, [order.length, images.height, images.width, 1]);
}

/** A seeded Fisher-Yates shuffle (the workspace's one generator), since tfjs's fit shuffles with Math.random. */
function seededPermutation(n: number, seed: number): number[] {
  const random = createUniformStream(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

describe.skipIf(!installed)('smallCnn on Fashion-MNIST (wasm)', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });

  it(`reaches >= ${REQUIRED_ACCURACY * 100}% test accuracy after one epoch on ${TRAIN_IMAGES} images`, async () => {
    const train = readFashionMnist('train', TRAIN_IMAGES);
    const test = readFashionMnist('t10k', TEST_IMAGES);
    let sum = 0;
    let sumSq = 0;
    for (const v of train.pixels) {
      sum += v / 255;
      sumSq += (v / 255) ** 2;
    }
    const mean = sum / train.pixels.length;
    const std = Math.sqrt(sumSq / train.pixels.length - mean * mean);
    const order = seededPermutation(train.count, SEED);
    const xTrain = toTensor(train, order, mean, std);
    const yTrain = tf.oneHot(
      tf.tensor1d(
        order.map((i) => train.labels[i]!),
        'int32',
      ),
      CLASSES,
    );
    const xTest = toTensor(
      test,
      Array.from({ length: test.count }, (_, i) => i),
      mean,
      std,
    );

    const model = withClassifier(smallCnn({ seed: SEED }), CLASSES, { seed: SEED });
    model.compile({
      optimizer: tf.train.adam(LEARNING_RATE),
      loss: (yTrue: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, logits),
    });
    const started = Date.now();
    const cpuStarted = process.cpuUsage();
    await model.fit(xTrain, yTrain, { batchSize: BATCH_SIZE, epochs: 1, shuffle: false, verbose: 0 });
    const trainSeconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const predicted = tf.tidy(() => tf.argMax(model.predict(xTest) as tf.Tensor, 1).dataSync());
    let correct = 0;
    predicted.forEach((label, i) => {
      if (label === test.labels[i]) correct++;
    });
    const accuracy = correct / test.count;
    console.info(
      `smallCnn Fashion-MNIST: ${(accuracy * 100).toFixed(1)}% test accuracy, one epoch in ${trainSeconds.toFixed(1)} s wall-clock (${cpuSeconds.toFixed(1)} s of CPU time) on ${tf.getBackend()}`,
    );
    tf.dispose([xTrain, yTrain, xTest]);
    model.dispose();
    expect(tf.getBackend()).toBe('wasm');
    expect(accuracy).toBeGreaterThanOrEqual(REQUIRED_ACCURACY);
  }, 120_000);
});
