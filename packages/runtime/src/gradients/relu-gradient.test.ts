import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues, valuesOn } from '../test-support/backends';
import { tfjsOwnGradientRunner } from '../test-support/tfjs-own-gradient';
import { registerLeanGradients } from './register-lean-gradients';
import { RELU_GRAD } from './relu-gradient';

let withStock: <T>(fn: () => T) => T;

beforeAll(async () => {
  await readyWasm();
  withStock = tfjsOwnGradientRunner('Relu');
});

/** x with zeros, negative zeros, NaN and infinities among random values; 4n + 3 of them (SIMD and loop). */
function inputs(n: number): { x: Float32Array; dy: Float32Array } {
  const x = testValues(4 * n + 3, 5);
  const dy = testValues(4 * n + 3, 6);
  x.set([0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-45, -1e-45], 0);
  dy.set([-1, 2, 3, Number.NaN, -4, -5, 6], 0);
  return { x, dy };
}

const gradient = (n: number) => () => {
  const { x, dy } = inputs(n);
  const xs = tf.tensor1d(x);
  return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), tf.tensor1d(dy))))(xs);
};

describe('the lean Relu gradient', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals tfjs' own bit for bit on ${backend}, signed zeros and NaN included`, () => {
      for (const n of [2, 5, 64]) {
        const expected = withStock(() => valuesOn(backend, gradient(n)));
        const actual = valuesOn(backend, gradient(n));
        expect(Object.is(actual[0], expected[0])).toBe(true); // x = 0, dy = -1: -0
        expect(Array.from(actual).map(String)).toEqual(Array.from(expected).map(String));
        expect(actual.some((v) => v !== 0 && !Number.isNaN(v))).toBe(true);
      }
    });
  }

  it('is one kernel where tfjs runs Step, Cast and Multiply', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const names = async () => {
        const info = await tf.profile(() => gradient(16)());
        tf.dispose(info.result as tf.Tensor);
        return info.kernels.map((k) => k.name);
      };
      expect(await names()).toContain(RELU_GRAD);
      expect(await names()).not.toContain('Step');
      expect(await withStock(names)).toContain('Step');
    } finally {
      await tf.setBackend(previous);
    }
  });

  it("falls back to tfjs' own gradient on a backend without CurvadReluGrad", () => {
    const expected = withStock(() => valuesOn('cpu', gradient(3)));
    tf.unregisterKernel(RELU_GRAD, 'cpu');
    try {
      expect(Array.from(valuesOn('cpu', gradient(3))).map(String)).toEqual(Array.from(expected).map(String));
    } finally {
      registerLeanGradients();
    }
  });

  it('refuses mismatched shapes, saying what it needs', () => {
    expect(() => valuesOn('wasm', () => tf.engine().runKernel(RELU_GRAD, { dy: tf.zeros([4]), x: tf.zeros([8]) }) as tf.Tensor)).toThrow(
      /float32 dy and x of one shape/,
    );
  });
});
