import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

const caseArb = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 4 })
  .chain((dims) =>
    fc.record({
      shape: fc.constant(dims.map(([d]) => d)),
      reps: fc.constant(dims.map(([, r]) => r)),
      dtype: fc.constantFrom<'float32' | 'int32' | 'bool'>('float32', 'int32', 'bool'),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    }),
  );

describe('Tile on wasm', () => {
  test.prop([caseArb], { numRuns: 50 })('equals the cpu backend exactly', ({ shape, reps, dtype, seed }) => {
    const run = () => {
      const values = Array.from(testValues(tf.util.sizeFromShape(shape), seed), (v) => (dtype === 'float32' ? v : Math.round(v * 50)));
      return tf.tile(tf.tensor(dtype === 'bool' ? values.map((v) => v > 0) : values, shape, dtype), reps);
    };
    expect(Array.from(valuesOn('wasm', run))).toEqual(Array.from(valuesOn('cpu', run)));
  });

  it('tiles a per-channel vector over an activation (the batch-norm gradient case)', () => {
    const out = valuesOn('wasm', () => tf.tile(tf.tensor4d([1, 2], [1, 1, 1, 2]), [2, 2, 1, 1]));
    expect(Array.from(out)).toEqual([1, 2, 1, 2, 1, 2, 1, 2]);
  });
});
