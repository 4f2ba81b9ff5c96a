import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, testValues, valuesOn } from '../../test-support/backends';
import { channelBroadcast } from './broadcast-binary';

beforeAll(readyWasm);

type Op = 'add' | 'sub' | 'mul' | 'div';
const OPS: Record<Op, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div };

/** Divisors kept away from 0 so that quotients stay finite (the comparison is exact anyway). */
function operand(shape: number[], seed: number, op: Op): tf.Tensor {
  const values = testValues(tf.util.sizeFromShape(shape), seed);
  if (op === 'div') for (let i = 0; i < values.length; i++) values[i] = values[i]! + (values[i]! >= 0 ? 0.5 : -0.5);
  return tf.tensor(values, shape, 'float32');
}

// The full-size operand: 1-4 axes, the last one C (1-12 channels: multiples of 4 and not, so that
// the SIMD rows (channel-rows.ts) leave a tail or not, or do not fit at all); the small one a [C] vector, a [1, .., 1, C] one
// of lower or equal rank, or a scalar ([] or [1]: handed to the backend, checked all the same).
const caseArb = fc
  .record({
    leading: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 }),
    channels: fc.integer({ min: 1, max: 12 }),
    kind: fc.constantFrom<'vector' | 'ones' | 'scalar' | 'one'>('vector', 'ones', 'scalar', 'one'),
    smallFirst: fc.boolean(),
    op: fc.constantFrom<Op>('add', 'sub', 'mul', 'div'),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((c) => {
    const big = [...c.leading, c.channels];
    const small =
      c.kind === 'vector' ? [c.channels] : c.kind === 'ones' ? [...big.map(() => 1).slice(1), c.channels] : c.kind === 'scalar' ? [] : [1];
    return { ...c, big, small };
  });

describe('Add, Sub, Multiply, RealDiv with a per-channel or scalar operand on wasm', () => {
  test.prop([caseArb], { numRuns: 120 })(
    'equal the cpu backend exactly, in both operand orders',
    ({ big, small, smallFirst, op, seed }) => {
      const run = () => {
        const p = operand(big, seed, op);
        const q = operand(small, seed + 1, op);
        return smallFirst ? OPS[op](q, p) : OPS[op](p, q);
      };
      const wasm = valuesOn('wasm', run);
      expect(wasm.length).toBe(tf.util.sizeFromShape(big));
      expect(Array.from(wasm)).toEqual(Array.from(valuesOn('cpu', run)));
    },
  );

  it('computes the closed forms on a batch-norm-sized tensor with a tail past the SIMD rows', () => {
    // [40, 3]: one SIMD row of 96 elements (a multiple of lcm(3, 16) = 48, at least 64) and a 24-element tail.
    const x = Float32Array.from({ length: 120 }, (_, i) => i + 1);
    const c = [2, 4, 8];
    const at = (i: number) => c[i % 3]!;
    const run = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      Array.from(valuesOn('wasm', () => f(tf.tensor2d(x, [40, 3]), tf.tensor1d(c))));
    expect(run((a, b) => tf.sub(b, a))).toEqual(Array.from(x, (v, i) => at(i) - v));
    expect(run((a, b) => tf.div(a, b))).toEqual(Array.from(x, (v, i) => v / at(i)));
    expect(run((a, b) => tf.div(b, a))).toEqual(Array.from(x, (v, i) => Math.fround(at(i) / v)));
    expect(run((a, b) => tf.mul(tf.scalar(3), tf.add(a, b)))).toEqual(Array.from(x, (v, i) => 3 * (v + at(i))));
  });

  it('hands int32, same-shape and other broadcasts to the backend, with the same results as cpu', () => {
    const ints = () => tf.mul(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4], 'int32'), tf.tensor1d([2, 3, 4, 5], 'int32'));
    expect(Array.from(valuesOn('wasm', ints))).toEqual([2, 6, 12, 20, 10, 18, 28, 40]);
    const outer = () => tf.sub(tf.tensor2d([1, 2, 3], [3, 1]), tf.tensor2d([10, 20, 30, 40], [1, 4]));
    expect(Array.from(valuesOn('wasm', outer))).toEqual(Array.from(valuesOn('cpu', outer)));
    const rows = () => tf.add(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor2d([10, 20, 30, 40], [4, 1]));
    expect(Array.from(valuesOn('wasm', rows))).toEqual(Array.from(valuesOn('cpu', rows)));
    const mixed = () => tf.div(tf.tensor1d([1, 2, 3, 4], 'int32'), tf.scalar(2, 'int32'));
    expect(Array.from(valuesOn('wasm', mixed))).toEqual(Array.from(valuesOn('cpu', mixed)));
  });

  it('takes exactly the channel broadcasts of float32 operands', () => {
    const info = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => ({ dataId: {}, shape, dtype });
    expect(channelBroadcast(info([2, 3, 3, 8]), info([8]))).toEqual({ bigIsA: true, channels: 8, outShape: [2, 3, 3, 8] });
    expect(channelBroadcast(info([1, 1, 1, 8]), info([2, 3, 3, 8]))).toEqual({ bigIsA: false, channels: 8, outShape: [2, 3, 3, 8] });
    expect(channelBroadcast(info([5, 6]), info([]))).toBeUndefined(); // scalar: as fast in the backend
    expect(channelBroadcast(info([5, 6]), info([5, 6]))).toBeUndefined(); // same shape
    expect(channelBroadcast(info([5, 6]), info([5, 1]))).toBeUndefined(); // not the last axis
    // A small operand of higher rank only adds leading 1s to the output: the data is laid out the same.
    expect(channelBroadcast(info([1, 1, 6]), info([5, 6]))).toEqual({ bigIsA: false, channels: 6, outShape: [1, 5, 6] });
    expect(channelBroadcast(info([5, 6], 'int32'), info([6], 'int32'))).toBeUndefined();
    expect(channelBroadcast(info([0, 6]), info([6]))).toBeUndefined(); // empty
  });

  it('leaves no tensor and no heap buffer behind', () => {
    const previous = tf.getBackend();
    void tf.setBackend('wasm');
    try {
      const x = tf.tensor3d(testValues(5 * 4 * 6, 1), [5, 4, 6]);
      const c = tf.tensor1d(testValues(6, 2));
      const run = () => tf.tidy(() => tf.dispose([tf.add(x, c), tf.sub(c, x), tf.mul(x, 2), tf.div(x, tf.reshape(c, [1, 1, 6]))]));
      run();
      const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
      for (let i = 0; i < 3; i++) run();
      expect(tf.memory().numTensors).toBe(before.tensors);
      expect(tf.engine().backend.numDataIds()).toBe(before.data);
      tf.dispose([x, c]);
    } finally {
      void tf.setBackend(previous);
    }
  });
});
