import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues, valuesOn } from '../../test-support/backends';

beforeAll(readyWasm);

describe('Cast on wasm', () => {
  // Same-dtype casts are ours; float32 <-> int32 are handed to the backend's kernel.
  test.prop(
    [
      fc.constantFrom<[tf.DataType, tf.DataType]>(
        ['float32', 'float32'],
        ['int32', 'int32'],
        ['bool', 'bool'],
        ['float32', 'int32'],
        ['int32', 'float32'],
      ),
      fc.integer({ min: 1, max: 1_000_000 }),
    ],
    { numRuns: 20 },
  )('equals the cpu backend', ([from, to], seed) => {
    const run = () => {
      const values = Array.from(testValues(12, seed), (v) => (from === 'float32' ? v * 3 : Math.round(v * 3)));
      return tf.cast(tf.tensor(from === 'bool' ? values.map((v) => v > 0) : values, [3, 4], from), to);
    };
    expect(Array.from(valuesOn('wasm', run))).toEqual(Array.from(valuesOn('cpu', run)));
  });

  it('shares memory for a same-dtype cast, and the input can be disposed first', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const buffers = () => tf.memory().numDataBuffers;
      const before = buffers();
      const x = tf.tensor1d([1.5, -2, 3]);
      const y = tf.cast(x, 'float32');
      expect(buffers() - before).toBe(1);
      x.dispose();
      expect(Array.from(y.dataSync())).toEqual([1.5, -2, 3]);
      y.dispose();
      expect(buffers()).toBe(before);
    } finally {
      void tf.setBackend(previous);
    }
  });
});
