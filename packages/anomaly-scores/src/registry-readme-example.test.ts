// The README's registry example, run as a test so it cannot rot. Keep the two in sync.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { type DetectorModel, getDetector, listDetectors, registerDetector, unregisterDetector } from './index';

it('README registry example runs and scores the far-away sample higher', () => {
  const before = tf.memory().numTensors;
  try {
    // ---- README example start ----
    // A toy classifier: 2-D input -> 2-D features -> 3 logits.
    const w1 = tf.tensor2d([
      [1, -1],
      [0.5, 2],
    ]);
    const w2 = tf.tensor2d([
      [2, -1, 0],
      [0, 1, -2],
    ]);
    const model: DetectorModel = {
      outputs: [
        { index: 0, role: 'logits', space: 'euclidean' },
        { index: 1, role: 'features', space: 'euclidean' },
      ],
      apply: (x) =>
        tf.tidy(() => {
          const features = tf.tanh(tf.matMul(x as tf.Tensor2D, w1));
          return [tf.matMul(features, w2), features];
        }),
    };
    const idTrain = tf.tensor2d([
      [1, 0],
      [0.9, 0.1],
      [0, 1],
      [0.1, 0.9],
      [-1, -1],
      [-0.9, -1.1],
    ]);
    const test = tf.tensor2d([
      [1, 0.05],
      [-6, 6],
    ]);

    const msp = getDetector('msp').score(model, { x: test }); // 1 - max softmax
    const odin = getDetector('odin', { temperature: 1000, epsilon: 0.0014 }).score(model, { x: test });
    const knn = getDetector('knn', { k: 1 });
    knn.fit!(model, { x: idTrain }); // on in-distribution training features
    const distance = knn.score(model, { x: test }); // the far-away second sample scores higher

    // A new detector is a registration, not an edit of a switch:
    registerDetector('neg-max-feature', () => ({
      name: 'neg-max-feature',
      description: 'minus the largest feature',
      needsInput: false,
      score: (m, data) => {
        const scores = getDetector('maxlogit').score(
          { outputs: [{ ...m.outputs[1]!, index: 0, role: 'logits' }] },
          { outputs: [data.outputs![1]!] },
        );
        return scores;
      },
    }));
    const outputs = model.apply!(test);
    const custom = getDetector('neg-max-feature').score(model, { outputs });
    console.info(listDetectors().length, msp, odin, distance, custom);
    // ---- README example end ----

    expect(listDetectors()).toContain('neg-max-feature');
    expect(msp).toHaveLength(2);
    expect(odin).toHaveLength(2);
    expect(distance[1]!).toBeGreaterThan(distance[0]!);
    const features = outputs[1]!.arraySync() as number[][];
    expect(Array.from(custom)).toEqual(features.map((row) => Math.fround(-Math.max(...row))));
    knn.dispose!();
    tf.dispose([w1, w2, idTrain, test, ...outputs]);
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    unregisterDetector('neg-max-feature');
  }
});
