import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

const caseArb = fc.record({
  rows: fc.integer({ min: 1, max: 20 }),
  inner: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
  numSegments: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('UnsortedSegmentSum on wasm', () => {
  test.prop([caseArb], { numRuns: 40 })('matches the cpu backend', ({ rows, inner, numSegments, seed }) => {
    const shape = [rows, ...inner];
    const ids = Array.from(testValues(rows, seed + 7), (v) => Math.floor(((v + 1) / 2) * numSegments));
    const run = () =>
      tf.unsortedSegmentSum(tf.tensor(testValues(tf.util.sizeFromShape(shape), seed), shape), tf.tensor1d(ids, 'int32'), numSegments);
    const expected = valuesOn('cpu', run);
    const actual = valuesOn('wasm', run);
    expect(actual.length).toBe(numSegments * tf.util.sizeFromShape(inner));
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(1e-6);
  });

  it('sums rows by segment (closed form) and drops out-of-range ids', () => {
    const out = valuesOn('wasm', () =>
      tf.unsortedSegmentSum(
        tf.tensor2d([
          [1, 2],
          [3, 4],
          [5, 6],
          [7, 8],
        ]),
        tf.tensor1d([1, 0, 1, 5], 'int32'),
        3,
      ),
    );
    expect(Array.from(out)).toEqual([3, 4, 6, 8, 0, 0]);
  });

  it('makes the gather (embedding) gradient work', () => {
    const run = () =>
      tf.grad((table: tf.Tensor) => tf.sum(tf.square(tf.gather(table, tf.tensor1d([0, 2, 2, 1], 'int32')))))(
        tf.tensor2d(testValues(12, 3), [3, 4]),
      );
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(1e-6);
  });
});
