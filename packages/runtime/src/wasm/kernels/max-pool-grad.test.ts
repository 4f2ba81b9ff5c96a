import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

const caseArb = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 9 }),
    // Multiples of 4 take the SIMD loop, the others the JS loop.
    channels: fc.constantFrom(1, 2, 3, 4, 5, 8, 12),
    filter: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    strides: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
    // Few distinct levels make ties (as after ReLU), where the choice of maximum matters.
    levels: fc.constantFrom(2, 3, 1000),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .filter((c) => c.pad === 'same' || (c.height >= c.filter[0] && c.width >= c.filter[1]));

describe('MaxPoolGrad on wasm', () => {
  test.prop([caseArb], { numRuns: 60 })('matches the cpu backend, ties included', (c) => {
    const shape = [c.batch, c.height, c.width, c.channels] as [number, number, number, number];
    const run = () => {
      const values = testValues(tf.util.sizeFromShape(shape), c.seed).map((v) => Math.round(v * c.levels) / c.levels);
      const x = tf.tensor4d(values, shape);
      return tf.grad((input: tf.Tensor) => {
        const pooled = tf.maxPool(input as tf.Tensor4D, c.filter, c.strides, c.pad);
        return tf.sum(tf.mul(pooled, tf.tensor(testValues(pooled.size, c.seed + 1), pooled.shape)));
      })(x);
    };
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(1e-6);
  });

  // Windows tiling the input exactly: dx is written, not accumulated (its memory is not zeroed first).
  test.prop(
    [
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(4, 8, 12),
      fc.integer({ min: 1, max: 1_000_000 }),
    ],
    { numRuns: 15 },
  )('matches the cpu backend when the windows tile the input', (window, cellsH, cellsW, channels, seed) => {
    const shape = [2, window * cellsH, window * cellsW, channels] as [number, number, number, number];
    const run = () => {
      // Dirty the heap so that memory reused for dx holds garbage.
      tf.dispose(tf.fill([4096], Number.NaN));
      const x = tf.tensor4d(
        testValues(tf.util.sizeFromShape(shape), seed).map((v) => Math.round(v * 3) / 3),
        shape,
      );
      return tf.grad((input: tf.Tensor) => {
        const pooled = tf.maxPool(input as tf.Tensor4D, window, window, 'valid');
        return tf.sum(tf.mul(pooled, tf.tensor(testValues(pooled.size, seed + 1), pooled.shape)));
      })(x);
    };
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(1e-6);
  });

  it('routes each gradient to the first maximum of its window, 4 channels at a time (closed form)', () => {
    // Channel c of the single 2x2 window holds [a, b, c, d] with maxima at taps 1, 0 (tie), 3, none (-inf).
    const windows = [
      [1, 3, 3, 2],
      [5, 5, 1, 5],
      [0, 1, 2, 7],
      [-Infinity, -Infinity, -Infinity, -Infinity],
    ];
    const x = new Float32Array(16);
    windows.forEach((taps, c) => {
      taps.forEach((v, t) => {
        x[t * 4 + c] = v;
      });
    });
    const dx = valuesOn('wasm', () =>
      tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d([10, 20, 30, 40], [1, 1, 1, 4]))),
      )(tf.tensor4d(x, [1, 2, 2, 4])),
    );
    expect(Array.from(dx)).toEqual([0, 20, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 0]);
  });

  it('routes each gradient to the first maximum of its window (closed form)', () => {
    const dx = valuesOn('wasm', () =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d([10], [1, 1, 1, 1]))))(
        tf.tensor4d([1, 3, 3, 2], [1, 2, 2, 1]),
      ),
    );
    expect(Array.from(dx)).toEqual([0, 10, 0, 0]);
  });
});
