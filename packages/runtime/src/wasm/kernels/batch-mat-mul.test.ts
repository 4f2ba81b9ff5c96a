import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

const caseArb = fc.record({
  m: fc.integer({ min: 1, max: 40 }),
  k: fc.integer({ min: 1, max: 40 }),
  // Multiples of 8 take our SIMD GEMM (when m k n >= 4096), the others XNNPACK or the backend's loop.
  n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(8, 16, 32, 40)),
  // [] = plain matrices; [b] = a batch; a 1 on one side broadcasts.
  batch: fc.constantFrom<[number[], number[]]>(
    [[], []],
    [[3], [3]],
    [[1], [2]],
    [[2], [1]],
    [
      [2, 2],
      [2, 2],
    ],
  ),
  transposeA: fc.boolean(),
  transposeB: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('BatchMatMul on wasm', () => {
  test.prop([caseArb], { numRuns: 60 })('matches the cpu backend', ({ m, k, n, batch, transposeA, transposeB, seed }) => {
    const aShape = [...batch[0], ...(transposeA ? [k, m] : [m, k])];
    const bShape = [...batch[1], ...(transposeB ? [n, k] : [k, n])];
    const run = () =>
      tf.matMul(
        tf.tensor(testValues(tf.util.sizeFromShape(aShape), seed), aShape),
        tf.tensor(testValues(tf.util.sizeFromShape(bShape), seed + 1), bShape),
        transposeA,
        transposeB,
      );
    const expected = valuesOn('cpu', run);
    const actual = valuesOn('wasm', run);
    expect(actual.length).toBe(expected.length);
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('gives the dense-layer gradients (transposed operands, fast path sizes)', () => {
    const run = (which: 0 | 1) => () => {
      const x = tf.tensor2d(testValues(64 * 48, 1), [64, 48]);
      const w = tf.tensor2d(testValues(48 * 32, 2), [48, 32]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b))))([x, w])[which]!;
    };
    for (const which of [0, 1] as const) {
      expect(relativeError(valuesOn('wasm', run(which)), valuesOn('cpu', run(which)))).toBeLessThanOrEqual(1e-5);
    }
  });
});
