import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { readyWasm, testValues } from '../test-support/backends';
import { allocate, f32, release, transpose2d } from './heap';
import type { WasmBackendInternals } from './wasm-backend-internals';

beforeAll(readyWasm);

describe('transpose2d', () => {
  // On the wasm heap it runs 4x4 blocks in the SIMD module and the last rows / columns in JS;
  // on plain arrays the JS loop. Both must equal the definition, at any offsets.
  test.prop(
    [
      fc.integer({ min: 1, max: 41 }),
      fc.integer({ min: 1, max: 41 }),
      fc.nat(7),
      fc.nat(7),
      fc.boolean(),
      fc.integer({ min: 1, max: 1_000_000 }),
    ],
    { numRuns: 60 },
  )('equals the definition on the wasm heap and on plain arrays', (rows, cols, srcOffset, dstOffset, onHeap, seed) => {
    const values = testValues(srcOffset + rows * cols, seed);
    const expected = new Float32Array(dstOffset + rows * cols).fill(7);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[dstOffset + c * rows + r] = values[srcOffset + r * cols + c]!;
    if (!onHeap) {
      const dst = new Float32Array(expected.length).fill(7);
      transpose2d(values, srcOffset, rows, cols, dst, dstOffset);
      expect(Array.from(dst)).toEqual(Array.from(expected));
      return;
    }
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const backend = tf.backend() as unknown as WasmBackendInternals;
      const src = allocate(backend, [values.length]);
      const dst = allocate(backend, [expected.length]);
      f32(backend, src).set(values);
      f32(backend, dst).fill(7);
      transpose2d(f32(backend, src), srcOffset, rows, cols, f32(backend, dst), dstOffset);
      expect(Array.from(f32(backend, dst))).toEqual(Array.from(expected));
      release(backend, src, dst);
    } finally {
      void tf.setBackend(previous);
    }
  });
});
