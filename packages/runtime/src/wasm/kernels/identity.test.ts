import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readyWasm } from '../../test-support/backends';

beforeAll(readyWasm);
afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('Identity on wasm (shared memory)', () => {
  it('clones keep their values when either side is disposed, and nothing leaks', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numBytes;
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4]);
    const z = tf.clone(y);
    y.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3, 4]);
    z.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });

  it('a variable assigned from a clone is unaffected by later ops on the source', async () => {
    await tf.setBackend('wasm');
    const source = tf.tensor1d([1, 2, 3]);
    const v = tf.variable(tf.clone(source));
    source.dispose();
    v.assign(tf.add(v, 1));
    expect(Array.from(v.dataSync())).toEqual([2, 3, 4]);
    v.dispose();
  });
});
