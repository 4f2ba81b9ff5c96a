import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues } from '../test-support/backends';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './adam-update-loop';
import { registerAdamUpdateKernels } from './register-adam-update';

beforeAll(async () => {
  await readyWasm();
  registerAdamUpdateKernels();
});
afterEach(async () => {
  await tf.setBackend('cpu');
});

function adamUpdate(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamUpdateAttrs): tf.Tensor[] {
  return tf.engine().runKernel(ADAM_UPDATE, { x, m, v, g }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
}

describe.each(['cpu', 'wasm'] as const)('CurvadAdamUpdate on %s', (backend) => {
  it('first step from zero moments: m = (1-b1) g, v = (1-b2) g^2, x moves by lr g / (|g| + eps) (float64 closed form)', async () => {
    await tf.setBackend(backend);
    const size = 1000;
    const xs = testValues(size, 3);
    const gs = testValues(size, 4).map((g, i) => g * 10 ** ((i % 7) - 3));
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    const attrs = { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, biasCorrection1: 1 - b1, biasCorrection2: 1 - b2 };
    const x = tf.tensor1d(xs);
    const zeros = tf.zeros([size]);
    const g = tf.tensor1d(gs);
    const [x1, m1, v1] = adamUpdate(x, zeros, zeros, g, attrs).map((t) => t.dataSync());
    for (let i = 0; i < size; i++) {
      const gi = gs[i]!;
      // float32 rounding of g, 1 - b1 and the product: a few parts in 1e7.
      expect(Math.abs(m1![i]! - (1 - b1) * gi)).toBeLessThanOrEqual(1e-6 * (1 - b1) * Math.abs(gi));
      expect(Math.abs(v1![i]! - (1 - b2) * gi * gi)).toBeLessThanOrEqual(1e-6 * (1 - b2) * gi * gi);
      const step = (lr * gi) / (Math.abs(gi) + eps);
      // float32 rounding of x (|x| < 1) bounds the error: a few ulps of 1.
      expect(Math.abs(x1![i]! - (xs[i]! - step))).toBeLessThan(4e-7);
    }
    tf.dispose([x, zeros, g]);
  });

  it('returns new tensors and leaves every input (and a clone sharing its data) untouched', async () => {
    await tf.setBackend(backend);
    const x = tf.tensor2d(testValues(12, 1), [3, 4]);
    const xClone = tf.clone(x);
    const m = tf.tensor2d(testValues(12, 2), [3, 4]);
    const v = tf.abs(tf.tensor2d(testValues(12, 3), [3, 4]));
    const g = tf.tensor2d(testValues(12, 4), [3, 4]);
    const before = [x, m, v, g].map((t) => Array.from(t.dataSync()));
    const attrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, biasCorrection1: 0.19, biasCorrection2: 0.0199 };
    const outputs = adamUpdate(x, m, v, g, attrs);
    expect(outputs.map((t) => t.shape)).toEqual([
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
    for (const [i, t] of [x, m, v, g].entries()) expect(Array.from(t.dataSync())).toEqual(before[i]);
    expect(Array.from(xClone.dataSync())).toEqual(before[0]);
    expect(Array.from(outputs[0]!.dataSync())).not.toEqual(before[0]);
    tf.dispose([x, xClone, m, v, g, ...outputs]);
  });

  it('rejects inputs of different shapes or a non-float32 input', async () => {
    await tf.setBackend(backend);
    const attrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-7, biasCorrection1: 0.1, biasCorrection2: 0.01 };
    const a = tf.zeros([4]);
    const b = tf.zeros([2, 2]);
    const i = tf.zeros([4], 'int32');
    expect(() => adamUpdate(a, a, a, b, attrs)).toThrow(/one shape, got g \[2,2\] and x \[4\]/);
    expect(() => adamUpdate(a, a, i, a, attrs)).toThrow(/float32 inputs, got v of dtype int32/);
    tf.dispose([a, b, i]);
  });
});
