import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { readyWasm, testValues } from '../test-support/backends';
import { float32View } from './float32-view';

describe('float32View', () => {
  const previous = tf.getBackend();
  afterEach(async () => {
    await tf.setBackend(previous);
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`gives a tensor's values without a copy on ${backend}`, async () => {
      await readyWasm();
      await tf.setBackend(backend);
      const values = testValues(1000, 3);
      const t = tf.tensor2d(values, [10, 100]);
      const sum = tf.add(t, 1);
      const view = float32View(sum);
      expect(view.length).toBe(1000);
      expect(Array.from(view)).toEqual(Array.from(values, (v) => Math.fround(v + 1)));
      // The same storage: a second view is over the same memory, not a new copy.
      const again = float32View(sum);
      expect(again.buffer).toBe(view.buffer);
      expect(again.byteOffset).toBe(view.byteOffset);
      if (backend === 'wasm')
        expect(view.buffer).toBe((tf.engine().backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer);
      tf.dispose([t, sum]);
    });
  }

  it('refuses other dtypes and disposed tensors, saying what to do', () => {
    const ints = tf.tensor1d([1, 2], 'int32');
    expect(() => float32View(ints)).toThrow(/float32 tensor, got int32; cast it first/);
    const gone = tf.tensor1d([1]);
    gone.dispose();
    expect(() => float32View(gone)).toThrow(/disposed/);
    ints.dispose();
  });
});
