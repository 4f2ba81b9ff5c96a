import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

// NHWC x with 1-12 channels (multiples of 4 and not: SIMD rows (channel-rows.ts) with or without a
// tail, or none); parameters of C values or one value, offset and scale present or not.
const caseArb = fc.record({
  shape: fc.tuple(
    fc.integer({ min: 1, max: 3 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 12 }),
  ),
  meanSize: fc.constantFrom<'channels' | 'one'>('channels', 'one'),
  offset: fc.constantFrom<'channels' | 'one' | 'none'>('channels', 'one', 'none'),
  scale: fc.constantFrom<'channels' | 'one' | 'none'>('channels', 'one', 'none'),
  eps: fc.constantFrom(1e-3, 1e-5),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

const size = (kind: 'channels' | 'one', channels: number) => (kind === 'one' ? 1 : channels);

describe('FusedBatchNorm on wasm', () => {
  test.prop([caseArb], { numRuns: 60 })('matches the cpu backend (1e-6 relative to the largest output)', (c) => {
    const channels = c.shape[3];
    const run = () => {
      const x = tf.tensor4d(testValues(tf.util.sizeFromShape(c.shape), c.seed), c.shape);
      const mean = tf.tensor1d(testValues(size(c.meanSize, channels), c.seed + 1));
      const variance = tf.abs(tf.tensor1d(testValues(size(c.meanSize, channels), c.seed + 2))) as tf.Tensor1D;
      const offset = c.offset === 'none' ? undefined : tf.tensor1d(testValues(size(c.offset, channels), c.seed + 3));
      const scale = c.scale === 'none' ? undefined : tf.tensor1d(testValues(size(c.scale, channels), c.seed + 4));
      return tf.batchNorm(x, mean, variance, offset, scale, c.eps);
    };
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(1e-6);
  });

  it('normalizes to the closed form (x - mean) * scale / sqrt(variance + eps) + offset', () => {
    // [1, 2, 20, 3]: one SIMD row of 96 elements (channel-rows.ts) and a 24-element tail.
    const x = Array.from({ length: 120 }, (_, i) => i / 8);
    const mean = [1, 2, 3];
    const variance = [3, 15, 0.75];
    const offset = [10, 20, 30];
    const scale = [2, 4, 0.5];
    const eps = 1;
    const out = valuesOn('wasm', () => tf.batchNorm(tf.tensor4d(x, [1, 2, 20, 3]), mean, variance, offset, scale, eps));
    const expected = x.map((v, i) => {
      const c = i % 3;
      return ((v - mean[c]!) * scale[c]!) / Math.sqrt(variance[c]! + eps) + offset[c]!;
    });
    expect(relativeError(out, expected)).toBeLessThanOrEqual(1e-7);
  });

  it('hands other parameter sizes to the backend (read modulo their length there, as on cpu)', () => {
    const run = () => tf.batchNorm(tf.tensor4d(testValues(24, 3), [1, 2, 3, 4]), tf.tensor1d([0.1, 0.2]), tf.tensor1d([1, 2]));
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(1e-6);
  });

  it('gives the gradients of a training-mode batch-norm layer (moments + batchNorm) that cpu gives', () => {
    const shape: [number, number, number, number] = [4, 5, 6, 12];
    const gradients = () => {
      const x = tf.tensor4d(testValues(tf.util.sizeFromShape(shape), 11), shape);
      const beta = tf.tensor1d(testValues(12, 12));
      const gamma = tf.add(tf.tensor1d(testValues(12, 13)), 1.5) as tf.Tensor1D;
      const weights = tf.tensor4d(testValues(tf.util.sizeFromShape(shape), 14), shape);
      const loss = (xv: tf.Tensor4D, b: tf.Tensor1D, g: tf.Tensor1D) => {
        const { mean, variance } = tf.moments(xv, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(xv, mean, variance, b, g, 1e-3), weights));
      };
      const [dx, db, dg] = tf.grads(loss as never)([x, beta, gamma]);
      return tf.concat([tf.reshape(dx!, [-1]), db!, dg!]);
    };
    expect(relativeError(valuesOn('wasm', gradients), valuesOn('cpu', gradients))).toBeLessThanOrEqual(1e-4);
  });

  it('leaves no tensor and no heap buffer behind', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const x = tf.tensor4d(testValues(2 * 3 * 3 * 6, 1), [2, 3, 3, 6]);
      const p = tf.tensor1d(testValues(6, 2));
      const v = tf.abs(p);
      const run = () => tf.tidy(() => tf.dispose([tf.batchNorm(x, p, v, p, p), tf.batchNorm(x, p, v)]));
      run();
      const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
      for (let i = 0; i < 3; i++) run();
      expect(tf.memory().numTensors).toBe(before.tensors);
      expect(tf.engine().backend.numDataIds()).toBe(before.data);
      tf.dispose([x, p, v]);
    } finally {
      void tf.setBackend(previous);
    }
  });
});
