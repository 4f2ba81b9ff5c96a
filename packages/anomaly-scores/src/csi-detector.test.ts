import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { csiScore } from './csi-score';
import type { DetectorModel } from './detector';
import { getDetector } from './detector-registry';
import { rotateImages } from './rotate-images';
import { expectClose, expectNoLeak, randomRows } from './test-utils';

// A fixed linear model on 2x2 grey images: features [n, 3] and rotation logits [n, 4].
const wFeatures = tf.tensor2d(randomRows(4, 3, 21));
const wRotation = tf.tensor2d([
  [3, 0, 0, 0],
  [0, 0, 0, 3],
  [0, 3, 0, 0],
  [0, 0, 3, 0],
]);
const model: DetectorModel = {
  outputs: [
    { index: 0, role: 'logits', space: 'euclidean' },
    { index: 1, role: 'features', space: 'euclidean' },
  ],
  apply: (x) =>
    tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0]!, 4]) as tf.Tensor2D;
      return [tf.add(tf.matMul(flat, wRotation), 0.5), tf.matMul(flat, wFeatures)];
    }),
};
const images = (rows: number, seed: number) => tf.tensor4d(randomRows(rows, 4, seed).flat(), [rows, 2, 2, 1]);

/** csiScore on the model outputs of the four rotations, computed by hand. */
function direct(train: tf.Tensor4D, test: tf.Tensor4D, options: Record<string, unknown> = {}): Float32Array {
  const rotations = (options.rotations as number[] | undefined) ?? [0, 1, 2, 3];
  const side = (x: tf.Tensor4D) => {
    const outputs = rotations.map((r) => model.apply!(rotateImages(x, r)));
    return { features: outputs.map((o) => o[1]!), shiftLogits: outputs.map((o) => o[0]!) };
  };
  return tf.tidy(() => csiScore(side(test), side(train), options) as Float32Array);
}

describe("'csi' detector", () => {
  it('gives the numbers of csiScore on the model outputs of the four rotations, whatever the forward batch', () => {
    const [train, test] = [images(30, 1), images(9, 2)];
    for (const options of [{}, { shiftTerm: false }, { balancing: 'released' }, { rotations: [0, 3], applyBatchSize: 4 }]) {
      const detector = getDetector('csi', options);
      detector.fit!(model, { x: train });
      const want = direct(train, test, Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'applyBatchSize')));
      expectClose(detector.score(model, { x: test }), Array.from(want), 1e-5, 1e-6);
      detector.dispose!();
    }
    tf.dispose([train, test]);
  });

  it('leaks nothing across fit and score, refits cleanly and refuses to score unfitted', () => {
    const [train, test] = [images(20, 3), images(5, 4)];
    const before = tf.memory().numTensors;
    const detector = getDetector('csi', { applyBatchSize: 7 });
    expect(() => detector.score(model, { x: test })).toThrow(/not fitted/);
    detector.fit!(model, { x: train });
    detector.fit!(model, { x: train });
    expectNoLeak(() => detector.score(model, { x: test }));
    detector.dispose!();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([train, test]);
  });

  it('explains what it needs', () => {
    const detector = getDetector('csi');
    const flat = tf.tensor2d([[1, 2, 3, 4]]);
    expect(() => detector.fit!(model, { outputs: [] })).toThrow(/pass NHWC images as data.x \(got none\)/);
    expect(() => detector.fit!(model, { x: flat })).toThrow(/got shape \[1, 4\]/);
    expect(() => detector.fit!({ outputs: model.outputs }, { x: images(2, 1) })).toThrow(/apply\(x\)/);
    const noFeatures: DetectorModel = { outputs: [model.outputs[0]!], apply: model.apply! };
    expect(() => getDetector('csi').fit!(noFeatures, { x: images(2, 1) })).toThrow(/has no features output/);
    expect(() => getDetector('csi', { output: 'z' })).toThrow(/always returns -s_CSI/);
    expect(() => getDetector('csi', { rotations: [5] })).toThrow(/rotations holds 5/);
    expect(() => getDetector('csi', { applyBatchSize: 0 })).toThrow(/applyBatchSize must be an integer >= 1/);
    flat.dispose();
  });
});
