// The README's example, run as a test so it cannot rot: the body of the tidy is the README's code.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { divergenceScore, fitKnn, hyperbolicScore, maxSoftmaxScore, odinScore } from './index';

it('README example runs, prints the documented values and leaks nothing', () => {
  const before = tf.memory().numTensors;
  const results = tf.tidy(() => {
    // Two samples: a confident one and an uncertain one.
    const euclideanLogits = tf.tensor2d([
      [6, 0, 0],
      [0.3, 0.2, 0.1],
    ]);
    const geometricLogits = tf.tensor2d([
      [5, 0, 1],
      [0.1, 0.3, 0.2],
    ]);
    const poincareEmbedding = tf.tensor2d([
      [0.9, 0.3],
      [0.05, 0.02],
    ]); // inside the ball of k = -1

    const msp = maxSoftmaxScore(euclideanLogits); // 1 - max softmax
    const zH = hyperbolicScore(poincareEmbedding, { k: -1 }); // AS = 1 - tanh(z_H)
    const zHRank = hyperbolicScore(poincareEmbedding, { k: -1, output: 'rank' }); // -z_H: rank by this
    const zEG = divergenceScore(euclideanLogits, geometricLogits, { output: 'rank' }); // KL, ranked as the released code does

    const model = (x: tf.Tensor) =>
      tf.matMul(
        x as tf.Tensor2D,
        tf.tensor2d([
          [2, -1, 0],
          [0, 1, -2],
        ]),
      );
    const odin = odinScore(
      model,
      tf.tensor2d([
        [1, 0],
        [0.1, 0.1],
      ]),
      { temperature: 1000, epsilon: 0.0014 },
    );

    const trainFeatures = tf.sin(tf.reshape(tf.range(0, 1600), [200, 8])); // deterministic stand-in features
    const knn = fitKnn(trainFeatures, { k: 10 });
    const knnScores = knn.score(
      tf.tensor2d([
        [0.8, 0.9, 0.1, -0.8, -1, -0.3, 0.7, 1],
        [1, 1, 1, 1, 1, 1, 1, 1],
      ]),
    );
    knn.dispose();

    console.log({ msp, zH, zHRank, zEG, odin, knnScores });
    return { msp, zH, zHRank, zEG, odin, knnScores };
  });
  expect(tf.memory().numTensors).toBe(before);
  const { msp, zH, zHRank, zEG, odin, knnScores } = results;
  expect(msp[1]).toBeGreaterThan(msp[0]!);
  expect(zH[1]).toBeGreaterThan(zH[0]!);
  expect(zHRank[1]).toBeGreaterThan(zHRank[0]!);
  expect(zEG[0]).toBeGreaterThan(zEG[1]!); // the two heads disagree more on sample 0
  expect(odin[1]).toBeGreaterThan(odin[0]!);
  expect(knnScores[1]).toBeGreaterThan(knnScores[0]!);
  // the values the README prints
  const printed = [msp, zH, zHRank, zEG, odin, knnScores].map((a) => Array.from(a, (v) => v.toFixed(6)));
  expect(printed).toEqual([
    ['0.004933', '0.632835'],
    ['0.001386', '0.892608'],
    ['-3.636892', '-0.107808'],
    ['0.012400', '0.010150'],
    ['0.666110', '0.666599'],
    ['0.140121', '1.217497'],
  ]);
});
