import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { positionLoss, svddLoss } from './losses';

describe('Patch-SVDD losses', () => {
  it("SVDD' is the mean Euclidean distance of the pairs (hand-computed)", () => {
    const a = tf.tensor2d([
      [0, 0],
      [1, 1],
    ]);
    const b = tf.tensor2d([
      [3, 4],
      [1, 1],
    ]);
    // distances 5 and 0 -> mean 2.5 (a squared distance would give 12.5)
    expect(svddLoss(a, b).dataSync()[0]).toBeCloseTo(2.5, 5);
    tf.dispose([a, b]);
  });

  it('position loss sums the cross-entropy of every classifier present (hand-computed)', () => {
    const labels = tf.tensor1d([0, 1], 'int32');
    const euclidean = tf.tensor2d([
      [Math.log(3), 0],
      [0, 0],
    ]);
    const sphere = tf.tensor2d([
      [0, 0],
      [0, Math.log(4)],
    ]);
    // row 0: -log(3/4); row 1: -log(1/2) -> mean 0.5 (log(4/3) + log 2)
    const ce1 = 0.5 * (Math.log(4 / 3) + Math.log(2));
    // row 0: -log(1/2); row 1: -log(4/5)
    const ce2 = 0.5 * (Math.log(2) + Math.log(5 / 4));
    expect(positionLoss({ euclidean }, labels).dataSync()[0]).toBeCloseTo(ce1, 5);
    expect(positionLoss({ euclidean, sphere }, labels).dataSync()[0]).toBeCloseTo(ce1 + ce2, 5);
    tf.dispose([labels, euclidean, sphere]);
  });
});
