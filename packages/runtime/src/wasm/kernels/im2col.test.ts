import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect } from 'vitest';
import { readyWasm, testValues } from '../../test-support/backends';
import { type ConvCase, convCase } from '../../test-support/conv-cases';
import { allocate, f32, release } from '../heap';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { col2imAdd, im2col } from './im2col';

beforeAll(readyWasm);

/** Runs `fn` with views of the wasm heap (SIMD loops when channels % 4 == 0) or plain arrays (JS loops). */
function run(onHeap: boolean, inputs: Float32Array[], outputs: number[], fn: (arrays: Float32Array[]) => void): Float32Array[] {
  if (!onHeap) {
    const arrays = [...inputs.map((a) => a.slice()), ...outputs.map((n) => new Float32Array(n))];
    fn(arrays);
    return arrays;
  }
  const previous = tf.getBackend();
  void tf.setBackend('wasm');
  try {
    const backend = tf.backend() as unknown as WasmBackendInternals;
    const infos = [...inputs.map((a) => allocate(backend, [a.length])), ...outputs.map((n) => allocate(backend, [n]))];
    inputs.forEach((a, i) => {
      f32(backend, infos[i]!).set(a);
    });
    outputs.forEach((_, i) => {
      f32(backend, infos[inputs.length + i]!).fill(0);
    });
    fn(infos.map((info) => f32(backend, info)));
    const result = infos.map((info) => f32(backend, info).slice());
    release(backend, ...infos);
    return result;
  } finally {
    void tf.setBackend(previous);
  }
}

const caseArb = fc
  .tuple(convCase({ dilations: true }), fc.constantFrom(4, 8), fc.integer({ min: 0, max: 2 }))
  .map(([c, inChannels, b0]): [ConvCase, number] => [{ ...c, inChannels, batch: c.batch + b0 }, b0]);

describe('im2col and col2imAdd', () => {
  // The SIMD loops (on the heap) against the JS loops (plain arrays), for images [b0, batch).
  test.prop([caseArb], { numRuns: 40 })('SIMD and JS give the same patch matrices and image gradients', ([c, b0]) => {
    const info = tf.backend_util.computeConv2DInfo(
      [c.batch, c.height, c.width, c.inChannels],
      [c.filterHeight, c.filterWidth, c.inChannels, 1],
      c.strides,
      c.dilations,
      c.pad,
    );
    const count = c.batch - b0;
    const size = count * info.outHeight * info.outWidth * c.filterHeight * c.filterWidth * c.inChannels;
    const x = testValues(c.batch * c.height * c.width * c.inChannels, c.seed);
    const cols = testValues(size, c.seed + 1);
    const patches = (onHeap: boolean) => run(onHeap, [x], [size], ([xv, out]) => im2col(info, xv!, b0, count, out!))[1]!;
    const dx = (onHeap: boolean) => run(onHeap, [cols], [x.length], ([colsv, dxv]) => col2imAdd(info, colsv!, b0, count, dxv!))[1]!;
    expect(Array.from(patches(true))).toEqual(Array.from(patches(false)));
    // Sums of the same terms in the same order: equal to the last bit.
    expect(Array.from(dx(true))).toEqual(Array.from(dx(false)));
  });
});
