import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues } from '../test-support/backends';
import { meanGradConfig, sumGradConfig } from './reduction-gradients';
import { registerLeanGradients, tfjsOwnGradient } from './register-lean-gradients';

/** tfjs' own gradients (the ones ours replace). */
const stock = {} as { Sum: tf.GradConfig; Mean: tf.GradConfig };

beforeAll(async () => {
  await readyWasm();
  registerLeanGradients();
  stock.Sum = tfjsOwnGradient('Sum')!;
  stock.Mean = tfjsOwnGradient('Mean')!;
});
afterAll(() => {
  registerLeanGradients();
});

type Reduce = (x: tf.Tensor) => tf.Scalar;
/** Reductions over the axes batch norm's moments use, and others, keepDims or not, as part of a loss. */
const REDUCTIONS: [string, Reduce][] = [
  ['mean over [0, 1, 2] (batch-norm moments)', (x) => tf.sum(tf.mul(tf.mean(x, [0, 1, 2]), tf.range(1, 5)))],
  ['mean over [1] with keepDims', (x) => tf.sum(tf.square(tf.mean(x, 1, true)))],
  ['mean over everything', (x) => tf.mean(x)],
  ['sum over [0, 2]', (x) => tf.sum(tf.mul(tf.sum(x, [0, 2]), tf.reshape(tf.range(1, 4), [3, 1])))],
  ['sum over [3] with keepDims', (x) => tf.sum(tf.square(tf.sum(x, 3, true)))],
  ['sum over everything', (x) => tf.sum(x)],
];

function gradientWith(configs: typeof stock, reduce: Reduce, backend: string): Float32Array {
  const previous = tf.getBackend();
  void tf.setBackend(backend);
  tf.registerGradient(configs.Sum);
  tf.registerGradient(configs.Mean);
  try {
    return tf.tidy(() => {
      const x = tf.tensor4d(testValues(2 * 3 * 5 * 4, 7), [2, 3, 5, 4]);
      return tf.grad(reduce)(x).dataSync() as Float32Array;
    });
  } finally {
    void tf.setBackend(previous);
  }
}

describe('lean Sum and Mean gradients', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const [name, reduce] of REDUCTIONS) {
      it(`equal tfjs' own bit for bit on ${backend}: ${name}`, () => {
        const expected = gradientWith(stock, reduce, backend);
        const actual = gradientWith({ Sum: sumGradConfig, Mean: meanGradConfig }, reduce, backend);
        expect(Array.from(actual)).toEqual(Array.from(expected));
        expect(actual.some((v) => v !== 0)).toBe(true);
      });
    }
  }

  for (const backend of ['cpu', 'wasm']) {
    it(`make one full-size tensor on ${backend} (the gradient) where tfjs' own makes three (ones, product, quotient)`, async () => {
      const previous = tf.getBackend();
      await tf.setBackend(backend);
      const x = tf.zeros([8, 16, 16, 8]);
      const dy = tf.ones([8]);
      const peak = async (config: tf.GradConfig) => {
        const gradient = config.gradFunc(dy, [x], { axis: [0, 1, 2], keepDims: false }) as { x: () => tf.Tensor };
        const info = await tf.profile(() => gradient.x());
        tf.dispose(info.result as tf.Tensor);
        return { bytes: info.newBytes, kernels: info.kernels.map((k) => k.name) };
      };
      try {
        const bytes = 8 * 16 * 16 * 8 * 4;
        const [before, after] = [await peak(stock.Mean), await peak(meanGradConfig)];
        expect(before.bytes).toBeGreaterThanOrEqual(3 * bytes);
        expect(before.kernels).toContain('Multiply');
        expect(after.bytes).toBeLessThan(bytes + 1024);
        expect(after.kernels).not.toContain('Multiply');
      } finally {
        tf.dispose([x, dy]);
        await tf.setBackend(previous);
      }
    });
  }

  it('are registered by registerLeanGradients (idempotent)', () => {
    tf.registerGradient(stock.Sum);
    tf.registerGradient(stock.Mean);
    const batchNorm = tf.getGradient('FusedBatchNorm');
    expect(registerLeanGradients().sort()).toEqual(['Mean', 'Sum']);
    expect(tf.getGradient('FusedBatchNorm')).toBe(batchNorm);
    expect(tf.getGradient('Mean')).toBe(meanGradConfig);
    expect(registerLeanGradients()).toEqual([]);
  });
});
