import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues, valuesOn } from '../../test-support/backends';
import { collapsePermutation } from './transpose';

beforeAll(readyWasm);

const caseArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 }).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    perm: fc.shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    ),
    dtype: fc.constantFrom<'float32' | 'int32' | 'bool'>('float32', 'int32', 'bool'),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  }),
);

describe('Transpose on wasm', () => {
  test.prop([caseArb], { numRuns: 50 })('equals the cpu backend exactly', ({ shape, perm, dtype, seed }) => {
    const run = () => {
      const values = Array.from(testValues(tf.util.sizeFromShape(shape), seed), (v) => (dtype === 'float32' ? v : Math.round(v * 50)));
      return tf.transpose(tf.tensor(dtype === 'bool' ? values.map((v) => v > 0) : values, shape, dtype), perm);
    };
    expect(Array.from(valuesOn('wasm', run))).toEqual(Array.from(valuesOn('cpu', run)));
  });

  it('merges axes that stay adjacent', () => {
    expect(collapsePermutation([2, 3, 4, 5], [0, 1, 3, 2])).toEqual({ shape: [6, 4, 5], perm: [0, 2, 1] });
    expect(collapsePermutation([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ shape: [6, 20], perm: [1, 0] });
    expect(collapsePermutation([2, 3, 4, 5], [3, 1, 2, 0])).toEqual({ shape: [2, 12, 5], perm: [2, 1, 0] });
  });
});
