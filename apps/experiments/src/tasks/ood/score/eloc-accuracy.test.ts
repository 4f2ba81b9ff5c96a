import { leaveOutFolds } from '@curvad/datasets';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { ensembleAccuracy } from './eloc-accuracy';

describe('ensembleAccuracy', () => {
  test('sums each classifier softmax placed on the original class ids (hand-computed)', () => {
    const folds = leaveOutFolds(4, 2); // classifier 0 keeps classes 2, 3; classifier 1 keeps 0, 1
    // Row 0: classifier 0 sure of class 3 (p ~ 1), classifier 1 even on 0/1 (0.5 each) -> class 3.
    // Row 1: classifier 0 even (0.5 on 2 and 3), classifier 1 p(1) = sigmoid(2) = 0.881 -> class 1.
    const c0 = tf.tensor2d([
      [-20, 20],
      [0, 0],
    ]);
    const c1 = tf.tensor2d([
      [0, 0],
      [0, 2],
    ]);
    expect(ensembleAccuracy([c0, c1], folds, [3, 1])).toBe(1);
    expect(ensembleAccuracy([c0, c1], folds, [3, 0])).toBe(0.5);
    expect(ensembleAccuracy([c0, c1], folds, [2, 0])).toBe(0);
    const before = tf.memory().numTensors;
    ensembleAccuracy([c0, c1], folds, [3, 1]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([c0, c1]);
  });
});
