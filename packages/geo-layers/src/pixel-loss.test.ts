// Issue 16: the per-pixel loss (mean cross-entropy over labelled pixels, optional ignore label) and
// the released l_E + 0.1 l_S + 0.1 l_H.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './cross-entropy';
import { GeoLayersError } from './errors';
import { pixelCrossEntropy, pixelHeadLoss, RELEASED_GEOMETRIC_LOSS_WEIGHT } from './pixel-loss';
import { checkGradient, expectNoLeak, randomMatrix } from './test-support';

const CLASSES = 3;
const LABELS = [0, 2, 1, 255, 1, 0, 255, 2, 2, 1, 0, 1]; // [2, 3, 2], two ignored pixels
const logitsMap = (seed: number) => tf.tensor4d(randomMatrix(12, CLASSES, seed, 3).flat(), [2, 3, 2, CLASSES]);

/** float64 mean cross-entropy over the rows whose label is not `ignore`. */
function referenceCrossEntropy(logits: number[][], labels: number[], ignore?: number): number {
  let sum = 0;
  let count = 0;
  labels.forEach((label, i) => {
    if (label === ignore) return;
    const row = logits[i]!;
    const max = Math.max(...row);
    const logSum = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    sum += logSum - row[label]!;
    count += 1;
  });
  return sum / count;
}

describe('pixelCrossEntropy', () => {
  it('equals the row cross-entropy of the pixels gathered as rows', () => {
    const logits = logitsMap(1);
    const labels = tf.tensor3d([0, 2, 1, 1, 1, 0, 2, 2, 2, 1, 0, 1], [2, 3, 2], 'int32');
    const rows = softmaxCrossEntropy(tf.reshape(logits, [12, CLASSES]), tf.reshape(labels, [12])).dataSync()[0]!;
    expect(pixelCrossEntropy(logits, labels).dataSync()[0]!).toBeCloseTo(rows, 6);
  });

  it('averages over the labelled pixels only, as a float64 reference', () => {
    const values = randomMatrix(12, CLASSES, 2, 3);
    const logits = tf.tensor4d(values.flat(), [2, 3, 2, CLASSES]);
    const labels = tf.tensor3d(LABELS, [2, 3, 2], 'int32');
    const loss = pixelCrossEntropy(logits, labels, { ignoreLabel: 255 }).dataSync()[0]!;
    expect(loss).toBeCloseTo(referenceCrossEntropy(values, LABELS, 255), 5);
    // Ignored pixels get no gradient; the others do.
    const grad = tf.grad((t: tf.Tensor) => pixelCrossEntropy(t, labels, { ignoreLabel: 255 }))(logits);
    const perPixel = tf.sum(tf.abs(tf.reshape(grad, [12, CLASSES])), -1).arraySync() as number[];
    expect(perPixel.map((g) => g === 0)).toEqual(LABELS.map((label) => label === 255));
    checkGradient((t) => pixelCrossEntropy(t, labels, { ignoreLabel: 255 }), logits);
  });

  it('is 0 with a zero gradient, not NaN, when every pixel is ignored', () => {
    const logits = logitsMap(3);
    const labels = tf.fill([2, 3, 2], 255, 'int32');
    expect(pixelCrossEntropy(logits, labels, { ignoreLabel: 255 }).dataSync()[0]).toBe(0);
    const grad = tf.grad((t: tf.Tensor) => pixelCrossEntropy(t, labels, { ignoreLabel: 255 }))(logits);
    expect(Array.from(grad.dataSync()).every((g) => g === 0)).toBe(true);
  });

  it('rejects wrong ranks, mismatched sizes and labels out of range, saying what to do', () => {
    const logits = logitsMap(4);
    const expectError = (run: () => unknown, pattern: RegExp) => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(GeoLayersError.isInstance(error), String(error)).toBe(true);
      expect(String(error)).toMatch(pattern);
    };
    expectError(() => pixelCrossEntropy(tf.zeros([12, CLASSES]), tf.zeros([12])), /\[batch, h, w, classes\], got shape \[12, 3\]/);
    expectError(() => pixelCrossEntropy(logits, tf.zeros([2, 6, 4])), /labels must be class ids \[2, 3, 2\].*Upsample/);
    expectError(() => pixelCrossEntropy(logits, tf.tensor3d(LABELS, [2, 3, 2])), /\[0, 3\).*found values in \[0, 255\].*ignoreLabel/);
    expectError(() => pixelCrossEntropy(logits, tf.zeros([2, 3, 2]), { ignoreLabel: 0.5 }), /ignoreLabel must be an integer/);
  });

  it('does not leak tensors', () => {
    const logits = logitsMap(5);
    const labels = tf.tensor3d(LABELS, [2, 3, 2], 'int32');
    expectNoLeak(() => pixelCrossEntropy(logits, labels, { ignoreLabel: 255 }).dispose());
  });
});

describe('pixelHeadLoss', () => {
  it('is l_E + 0.1 l_S + 0.1 l_H by default, and leaves out absent classifiers', () => {
    expect(RELEASED_GEOMETRIC_LOSS_WEIGHT).toBe(0.1);
    const [euclidean, sphere, poincare] = [logitsMap(6), logitsMap(7), logitsMap(8)];
    const labels = tf.tensor3d(LABELS, [2, 3, 2], 'int32');
    const ce = (t: tf.Tensor) => pixelCrossEntropy(t, labels, { ignoreLabel: 255 }).dataSync()[0]!;
    const full = pixelHeadLoss({ euclidean, sphere, poincare }, labels, { ignoreLabel: 255 }).dataSync()[0]!;
    expect(full).toBeCloseTo(ce(euclidean) + 0.1 * ce(sphere) + 0.1 * ce(poincare), 5);
    const sphereOnly = pixelHeadLoss({ euclidean, sphere }, labels, { ignoreLabel: 255, geometricWeight: 0.5 }).dataSync()[0]!;
    expect(sphereOnly).toBeCloseTo(ce(euclidean) + 0.5 * ce(sphere), 5);
    expect(() => pixelHeadLoss({ euclidean }, labels, { geometricWeight: -1 })).toThrow(/geometricWeight must be a finite number >= 0/);
    expect(() => pixelHeadLoss({} as never, labels)).toThrow(/logits.euclidean/);
    expectNoLeak(() => pixelHeadLoss({ euclidean, sphere, poincare }, labels, { ignoreLabel: 255 }).dispose());
  });
});
