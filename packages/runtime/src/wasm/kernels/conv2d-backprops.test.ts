import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';
import { type ConvCase, convCase, convOutputSize } from '../../test-support/conv-cases';
import { MAX_PATCH_ELEMENTS, patchLimit } from './im2col';

const TOLERANCE = 1e-4;

beforeAll(readyWasm);

function shapes(c: ConvCase) {
  return {
    x: [c.batch, c.height, c.width, c.inChannels] as [number, number, number, number],
    filter: [c.filterHeight, c.filterWidth, c.inChannels, c.outChannels] as [number, number, number, number],
    dy: [c.batch, convOutputSize(c, 'h'), convOutputSize(c, 'w'), c.outChannels] as [number, number, number, number],
  };
}

function filterGradient(c: ConvCase): tf.Tensor {
  const s = shapes(c);
  const x = tf.tensor4d(testValues(tf.util.sizeFromShape(s.x), c.seed), s.x);
  const dy = tf.tensor4d(testValues(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy);
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: s.filter,
  } as never) as tf.Tensor;
}

function inputGradient(c: ConvCase): tf.Tensor {
  const s = shapes(c);
  const filter = tf.tensor4d(testValues(tf.util.sizeFromShape(s.filter), c.seed + 2), s.filter);
  const dy = tf.tensor4d(testValues(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy);
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    inputShape: s.x,
  } as never) as tf.Tensor;
}

/** With the patch bound lowered to SMALL_PATCH_LIMIT, this case is processed in chunks of 2 + 1 images. */
const CHUNKED: ConvCase = {
  batch: 3,
  height: 6,
  width: 6,
  inChannels: 3,
  outChannels: 2,
  filterHeight: 3,
  filterWidth: 3,
  strides: [1, 1],
  dilations: [1, 1],
  pad: 'same',
  seed: 11,
};
const SMALL_PATCH_LIMIT = 2000;

function chunked<T>(fn: () => T): T {
  patchLimit.elements = SMALL_PATCH_LIMIT;
  try {
    return fn();
  } finally {
    patchLimit.elements = MAX_PATCH_ELEMENTS;
  }
}

describe('Conv2DBackpropFilter on wasm', () => {
  test.prop([convCase({ dilations: false })], { numRuns: 40 })('matches the cpu backend', (c) => {
    const expected = valuesOn('cpu', () => filterGradient(c));
    const actual = valuesOn('wasm', () => filterGradient(c));
    expect(actual.length).toBe(tf.util.sizeFromShape(shapes(c).filter));
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches the cpu backend when the batch is processed in chunks', () => {
    const perImage = 6 * 6 * 9 * 3;
    expect(Math.floor(SMALL_PATCH_LIMIT / perImage)).toBe(2);
    const actual = chunked(() => valuesOn('wasm', () => filterGradient(CHUNKED)));
    expect(
      relativeError(
        actual,
        valuesOn('cpu', () => filterGradient(CHUNKED)),
      ),
    ).toBeLessThanOrEqual(TOLERANCE);
  });

  // 3x3 filters with many output channels: multiples of 8 take our SIMD GEMM (on the plain patch
  // matrix with 4 or 8 input channels, on the transposed one with 1 or 3); 20 channels take
  // dy^T x patches on XNNPACK (few taps, many channels).
  test.prop(
    [
      fc.record({
        inChannels: fc.constantFrom(1, 3, 4, 8),
        outChannels: fc.constantFrom(16, 20, 24, 32),
        strides: fc.integer({ min: 1, max: 2 }),
        pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
        seed: fc.nat(),
      }),
    ],
    { numRuns: 16 },
  )(
    'matches the cpu backend for 3x3 filters with 16-32 output channels, chunked or not',
    ({ inChannels, outChannels, strides, pad, seed }) => {
      const c: ConvCase = {
        batch: 3,
        height: 7,
        width: 6,
        inChannels,
        outChannels,
        filterHeight: 3,
        filterWidth: 3,
        strides: [strides, strides],
        dilations: [1, 1],
        pad,
        seed: seed + 1,
      };
      const expected = valuesOn('cpu', () => filterGradient(c));
      expect(
        relativeError(
          valuesOn('wasm', () => filterGradient(c)),
          expected,
        ),
      ).toBeLessThanOrEqual(TOLERANCE);
      patchLimit.elements = 7 * 6 * 9 * inChannels;
      try {
        expect(
          relativeError(
            valuesOn('wasm', () => filterGradient(c)),
            expected,
          ),
        ).toBeLessThanOrEqual(TOLERANCE);
      } finally {
        patchLimit.elements = MAX_PATCH_ELEMENTS;
      }
    },
  );

  it('gives the gradient tf.grad uses for conv2d (end to end, stride 2, same)', () => {
    const run = () => {
      const x = tf.tensor4d(testValues(2 * 7 * 7 * 3, 5), [2, 7, 7, 3]);
      const w = tf.tensor4d(testValues(3 * 3 * 3 * 4, 6), [3, 3, 3, 4]);
      return tf.grad((filter: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, 2, 'same'))))(w);
    };
    expect(relativeError(valuesOn('wasm', run), valuesOn('cpu', run))).toBeLessThanOrEqual(TOLERANCE);
  });

  it('does not leak tensors', () => {
    const c: ConvCase = {
      batch: 2,
      height: 6,
      width: 5,
      inChannels: 2,
      outChannels: 3,
      filterHeight: 3,
      filterWidth: 2,
      strides: [2, 1],
      dilations: [1, 1],
      pad: 'valid',
      seed: 3,
    };
    valuesOn('wasm', () => filterGradient(c));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) valuesOn('wasm', () => tf.add(filterGradient(c), tf.sum(inputGradient(c))));
    for (let i = 0; i < 3; i++) chunked(() => valuesOn('wasm', () => tf.add(filterGradient(CHUNKED), tf.sum(inputGradient(CHUNKED)))));
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  // Stride 2 with a multiple of 8 taps: the patch gradient on our SIMD GEMM, then SIMD col2im.
  test.prop(
    [
      fc.record({
        inChannels: fc.constantFrom(4, 8),
        outChannels: fc.constantFrom(3, 16),
        pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
        seed: fc.nat(),
      }),
    ],
    { numRuns: 8 },
  )('matches the cpu backend for stride 2 with whole 8-column tiles of taps', ({ inChannels, outChannels, pad, seed }) => {
    const c: ConvCase = {
      batch: 2,
      height: 7,
      width: 8,
      inChannels,
      outChannels,
      filterHeight: 2,
      filterWidth: 3,
      strides: [2, 2],
      dilations: [1, 1],
      pad,
      seed: seed + 1,
    };
    expect(
      relativeError(
        valuesOn('wasm', () => inputGradient(c)),
        valuesOn('cpu', () => inputGradient(c)),
      ),
    ).toBeLessThanOrEqual(TOLERANCE);
  });

  test.prop([convCase({ dilations: false })], { numRuns: 40 })('matches the cpu backend', (c) => {
    const expected = valuesOn('cpu', () => inputGradient(c));
    const actual = valuesOn('wasm', () => inputGradient(c));
    expect(actual.length).toBe(tf.util.sizeFromShape(shapes(c).x));
    expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('matches the cpu backend when the batch is processed in chunks', () => {
    const actual = chunked(() => valuesOn('wasm', () => inputGradient(CHUNKED)));
    expect(
      relativeError(
        actual,
        valuesOn('cpu', () => inputGradient(CHUNKED)),
      ),
    ).toBeLessThanOrEqual(TOLERANCE);
  });
});
