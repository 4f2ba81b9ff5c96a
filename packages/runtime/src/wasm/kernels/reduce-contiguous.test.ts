import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

/** A shape of rank 1-4 and a run of axes [first, first + length) (or a non-contiguous pair). */
const caseArb = fc
  .record({
    shape: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
    first: fc.nat(3),
    length: fc.integer({ min: 1, max: 3 }),
    split: fc.boolean(),
    keepDims: fc.boolean(),
    op: fc.constantFrom<'sum' | 'mean'>('sum', 'mean'),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((c) => {
    const rank = c.shape.length;
    const first = Math.min(c.first, rank - 1);
    const last = Math.min(rank - 1, first + c.length - 1);
    let axes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    if (c.split && rank >= 3) axes = [0, rank - 1];
    return { ...c, axes };
  });

describe('Sum and Mean on wasm', () => {
  test.prop([caseArb], { numRuns: 50 })('match the cpu backend for any axes', ({ shape, axes, keepDims, op, seed }) => {
    const run = () => tf[op](tf.tensor(testValues(tf.util.sizeFromShape(shape), seed), shape), axes, keepDims);
    const expected = valuesOn('cpu', run);
    const actual = valuesOn('wasm', run);
    expect(actual.length).toBe(expected.length);
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-5);
  });

  // Several row blocks (the last one partial) and 16-, 4- and 1-column tails of the SIMD loop.
  test.prop([fc.integer({ min: 257, max: 800 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1_000_000 })], { numRuns: 6 })(
    'sum many rows like float64 sums do',
    (rows, inner, seed) => {
      const values = testValues(rows * inner, seed);
      const expected = new Float64Array(inner);
      for (let r = 0; r < rows; r++) for (let j = 0; j < inner; j++) expected[j] += values[r * inner + j]!;
      const actual = valuesOn('wasm', () => tf.sum(tf.tensor2d(values, [rows, inner]), 0));
      expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-5);
    },
  );

  test.prop([fc.integer({ min: 1, max: 5 })], { numRuns: 5 })('keep output shapes (bias gradient layout)', (c) => {
    const x = () => tf.ones([2, 3, 4, c]);
    expect(valuesOn('wasm', () => tf.sum(x(), [0, 1, 2])).length).toBe(c);
    expect(Array.from(valuesOn('wasm', () => tf.mean(x(), [1, 2])))).toEqual(new Array(2 * c).fill(1));
  });
});
