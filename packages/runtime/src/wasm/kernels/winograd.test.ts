import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readyWasm, relativeError, testValues, valuesOn } from '../../test-support/backends';
import { type ConvCase, convOutputSize, padArb } from '../../test-support/conv-cases';
import { registerWasmTrainingKernels } from '../register-wasm-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { MIN_CHANNELS, tiling, WINOGRAD_CHUNK_BYTES, winogradFor, winogradSettings } from './winograd';

const TOLERANCE = 1e-4;

beforeAll(readyWasm);

/**
 * 3x3 convolutions with channel counts Winograd takes (in % 4, >= 16; out % 8), stride 1 or 2 (with
 * images up to 13 pixels, several 4x4 output tiles).
 */
const casesWithStride = (stride: 1 | 2): fc.Arbitrary<ConvCase> =>
  fc
    .record({
      batch: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 1, max: stride === 1 ? 9 : 13 }),
      width: fc.integer({ min: 1, max: stride === 1 ? 9 : 13 }),
      inChannels: fc.constantFrom(16, 20, 32),
      outChannels: fc.constantFrom(8, 16, 24),
      pad: padArb,
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    })
    .map(
      (c): ConvCase => ({
        ...c,
        filterHeight: 3,
        filterWidth: 3,
        strides: [stride, stride],
        dilations: [1, 1],
      }),
    )
    .filter((c) => convOutputSize(c, 'h') > 0 && convOutputSize(c, 'w') > 0);
const winogradCase = casesWithStride(1);

function shapes(c: ConvCase) {
  return {
    x: [c.batch, c.height, c.width, c.inChannels] as [number, number, number, number],
    filter: [3, 3, c.inChannels, c.outChannels] as [number, number, number, number],
    dy: [c.batch, convOutputSize(c, 'h'), convOutputSize(c, 'w'), c.outChannels] as [number, number, number, number],
  };
}

function tensors(c: ConvCase) {
  const s = shapes(c);
  return {
    x: tf.tensor4d(testValues(tf.util.sizeFromShape(s.x), c.seed), s.x),
    filter: tf.tensor4d(testValues(tf.util.sizeFromShape(s.filter), c.seed + 2), s.filter),
    dy: tf.tensor4d(testValues(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy),
    bias: tf.tensor1d(testValues(c.outChannels, c.seed + 3)),
  };
}

const forward = (c: ConvCase) => () => {
  const { x, filter } = tensors(c);
  return tf.conv2d(x, filter, c.strides, c.pad as never);
};
const fusedForward = (c: ConvCase) => () => {
  const { x, filter, bias } = tensors(c);
  return tf.fused.conv2d({ x, filter, strides: c.strides, pad: c.pad as never, bias, activation: 'relu' });
};
const filterGradient = (c: ConvCase) => () => {
  const { x, dy } = tensors(c);
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: shapes(c).filter,
  } as never) as tf.Tensor;
};
/** The input gradient of the convolution `c`. */
const stridedInputGradient = (c: ConvCase) => () => {
  const { filter, dy } = tensors(c);
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    inputShape: shapes(c).x,
  } as never) as tf.Tensor;
};
/** The input gradient of a convolution with in and out swapped, so that its flipped convolution is Winograd's. */
const inputGradient = (c: ConvCase) => () => {
  const swapped = { ...c, inChannels: c.outChannels, outChannels: c.inChannels };
  const s = shapes(swapped);
  const filter = tf.tensor4d(testValues(tf.util.sizeFromShape(s.filter), c.seed + 2), s.filter);
  const dy = tf.tensor4d(testValues(tf.util.sizeFromShape(s.dy), c.seed + 1), s.dy);
  return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, {
    strides: [1, 1],
    pad: c.pad,
    dataFormat: 'NHWC',
    inputShape: s.x,
  } as never) as tf.Tensor;
};

function expectSameOnBothBackends(fn: () => tf.Tensor): void {
  const expected = valuesOn('cpu', fn);
  const actual = valuesOn('wasm', fn);
  expect(actual.length).toBe(expected.length);
  expect(relativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
}

/** Repeated runs of `computations` on wasm leave tf.memory's tensor count and the backend's buffers as they were. */
function expectNoLeakOnWasm(computations: (() => tf.Tensor)[]): void {
  const previous = tf.getBackend();
  void tf.setBackend('wasm');
  try {
    const run = () => tf.tidy(() => tf.dispose(computations.map((c) => c())));
    run();
    const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.data);
  } finally {
    void tf.setBackend(previous);
  }
}

function withChunkBytes<T>(bytes: number, fn: () => T): T {
  winogradSettings.chunkBytes = bytes;
  try {
    return fn();
  } finally {
    winogradSettings.chunkBytes = WINOGRAD_CHUNK_BYTES;
  }
}

/** A 3-image batch, processed in chunks of 2 + 1 images under `chunkBytes(tile)`. */
const CHUNKED: ConvCase = {
  batch: 3,
  height: 6,
  width: 5,
  inChannels: 16,
  outChannels: 8,
  filterHeight: 3,
  filterWidth: 3,
  strides: [1, 1],
  dilations: [1, 1],
  pad: 'same',
  seed: 5,
};
/** Two images' transformed input and output: tiles x points x (16 + 8) channels x 4 bytes, twice. */
const chunkBytes = (tile: 2 | 4) => 2 * Math.ceil(6 / tile) * Math.ceil(5 / tile) * (tile + 2) ** 2 * (16 + 8) * 4;

describe.each([2, 4] as const)('Winograd F(%i x tile, 3x3) convolutions on wasm', (tile) => {
  beforeAll(() => {
    winogradSettings.tiles = [tile];
  });
  afterAll(() => {
    winogradSettings.tiles = [2, 4];
  });

  it('applies to the convolutions the test cases draw', () => {
    expect(MIN_CHANNELS).toBeLessThanOrEqual(16);
  });

  test.prop([winogradCase], { numRuns: 30 })('Conv2D matches the cpu backend', (c) => {
    expectSameOnBothBackends(forward(c));
  });

  test.prop([winogradCase], { numRuns: 30 })('FusedConv2D with bias and relu matches the cpu backend', (c) => {
    expectSameOnBothBackends(fusedForward(c));
  });

  test.prop([winogradCase], { numRuns: 30 })('Conv2DBackpropFilter matches the cpu backend', (c) => {
    expectSameOnBothBackends(filterGradient(c));
  });

  test.prop([winogradCase.filter((c) => c.outChannels % 4 === 0 && c.outChannels >= 16)], { numRuns: 30 })(
    'Conv2DBackpropInput (stride 1, a flipped Winograd convolution) matches the cpu backend',
    (c) => {
      expectSameOnBothBackends(inputGradient(c));
    },
  );

  it('gives the same results when the batch is processed in chunks', () => {
    const whole = {
      forward: valuesOn('wasm', forward(CHUNKED)),
      filter: valuesOn('wasm', filterGradient(CHUNKED)),
    };
    const chunked = withChunkBytes(chunkBytes(tile), () => ({
      forward: valuesOn('wasm', forward(CHUNKED)),
      filter: valuesOn('wasm', filterGradient(CHUNKED)),
    }));
    expect(relativeError(chunked.forward, whole.forward)).toBeLessThanOrEqual(1e-6);
    expect(relativeError(chunked.filter, whole.filter)).toBeLessThanOrEqual(1e-6);
    const reference = valuesOn('cpu', filterGradient(CHUNKED));
    expect(relativeError(chunked.filter, reference)).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches tf.grad's gradients on the cpu backend for a conv + relu + conv net", () => {
    const c: ConvCase = { ...CHUNKED, batch: 2, height: 7, width: 8, inChannels: 16, outChannels: 16, seed: 9 };
    const gradients = () => {
      const { x, filter } = tensors(c);
      const w2 = tf.tensor4d(testValues(3 * 3 * 16 * 16, 77), [3, 3, 16, 16]);
      const loss = (xv: tf.Tensor4D, f1: tf.Tensor4D, f2: tf.Tensor4D) =>
        tf.sum(tf.square(tf.conv2d(tf.relu(tf.conv2d(xv, f1, 1, 'same')), f2, 1, 'same')));
      const [dx, df1, df2] = tf.grads(loss as never)([x, filter, w2]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(df1!, [-1]), tf.reshape(df2!, [-1])]);
    };
    expectSameOnBothBackends(gradients);
  });

  it('leaves no tensor and no heap buffer behind', () => {
    expectNoLeakOnWasm([forward(CHUNKED), filterGradient(CHUNKED), fusedForward(CHUNKED)]);
  });
});

describe.each([2, 4] as const)('stride-2 Winograd F(%i x tile, 3x3) on wasm', (tile) => {
  const stridedCase = casesWithStride(2);
  beforeAll(() => {
    winogradSettings.tiles = [tile];
  });
  afterAll(() => {
    winogradSettings.tiles = [2, 4];
  });

  it('is what the drawn convolutions and their gradients take', () => {
    const backend = tf.findBackend('wasm') as unknown as WasmBackendInternals;
    const info = tf.backend_util.computeConv2DInfo([2, 9, 9, 16], [3, 3, 16, 8], 2, 1, 'same');
    for (const use of ['convolution', 'filter-gradient'] as const) {
      expect(winogradFor(backend, info, use)?.variant).toMatchObject({ tile, stride: 2, points: (2 * tile + 1) ** 2 });
    }
    const transposed = tf.backend_util.computeConv2DInfo([2, 9, 9, 16], [3, 3, 16, 8], 2, 1, 'same');
    expect(winogradFor(backend, transposed, 'input-gradient')?.variant.inputGrad).toBeDefined();
  });

  test.prop([stridedCase], { numRuns: 30 })('Conv2D matches the cpu backend', (c) => {
    expectSameOnBothBackends(forward(c));
  });

  test.prop([stridedCase], { numRuns: 20 })('FusedConv2D with bias and relu matches the cpu backend', (c) => {
    expectSameOnBothBackends(fusedForward(c));
  });

  test.prop([stridedCase], { numRuns: 30 })('Conv2DBackpropFilter matches the cpu backend', (c) => {
    expectSameOnBothBackends(filterGradient(c));
  });

  test.prop([stridedCase.filter((c) => c.inChannels % 8 === 0)], { numRuns: 30 })(
    'Conv2DBackpropInput (the transposed algorithm, windows overlapping) matches the cpu backend',
    (c) => {
      expectSameOnBothBackends(stridedInputGradient(c));
    },
  );

  it('gives the same results when the batch is processed in chunks', () => {
    const c: ConvCase = { ...CHUNKED, height: 11, width: 9, strides: [2, 2], inChannels: 16, outChannels: 8 };
    const run = () => ({
      forward: valuesOn('wasm', forward(c)),
      filter: valuesOn('wasm', filterGradient(c)),
      input: valuesOn('wasm', stridedInputGradient(c)),
    });
    const whole = run();
    const points = (2 * tile + 1) ** 2;
    const twoImages = 2 * Math.ceil(6 / tile) * Math.ceil(5 / tile) * points * (16 + 8) * 4;
    const chunked = withChunkBytes(twoImages, run);
    for (const k of ['forward', 'filter', 'input'] as const) {
      expect(relativeError(chunked[k], whole[k])).toBeLessThanOrEqual(1e-6);
    }
    expect(relativeError(chunked.input, valuesOn('cpu', stridedInputGradient(c)))).toBeLessThanOrEqual(TOLERANCE);
  });

  it("matches tf.grad's gradients on the cpu backend for a conv + relu + stride-2 conv net", () => {
    const gradients = () => {
      const x = tf.tensor4d(testValues(2 * 10 * 9 * 16, 31), [2, 10, 9, 16]);
      const w1 = tf.tensor4d(testValues(3 * 3 * 16 * 16, 32), [3, 3, 16, 16]);
      const w2 = tf.tensor4d(testValues(3 * 3 * 16 * 24, 33), [3, 3, 16, 24]);
      const loss = (xv: tf.Tensor4D, f1: tf.Tensor4D, f2: tf.Tensor4D) =>
        tf.sum(tf.square(tf.conv2d(tf.relu(tf.conv2d(xv, f1, 1, 'same')), f2, 2, 'same')));
      const [dx, df1, df2] = tf.grads(loss as never)([x, w1, w2]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(df1!, [-1]), tf.reshape(df2!, [-1])]);
    };
    expectSameOnBothBackends(gradients);
  });

  it('leaves no tensor and no heap buffer behind', () => {
    const c: ConvCase = { ...CHUNKED, strides: [2, 2], inChannels: 16, outChannels: 16 };
    expectNoLeakOnWasm([forward(c), filterGradient(c), stridedInputGradient(c)]);
  });
});

describe('Winograd chunks', () => {
  const backend = () => tf.findBackend('wasm') as unknown as WasmBackendInternals;
  const planOf = (shape: [number, number, number, number], channels: number) => {
    const info = tf.backend_util.computeConv2DInfo(shape, [3, 3, shape[3], channels], 1, 1, 'same');
    return { info, variant: winogradFor(backend(), info)!.variant };
  };

  it('streams convolutions in chunks of a few MB of at least 256 tiles, and takes filter gradients whole', () => {
    const { info, variant } = planOf([32, 32, 32, 64], 64);
    const perImage = 64 * 36 * (64 + 64) * 4;
    const forward = tiling(info, variant, 'convolution');
    expect(forward.chunk * perImage).toBeLessThanOrEqual(winogradSettings.convolutionChunkBytes + perImage);
    expect(forward.chunk * forward.tilesH * forward.tilesW).toBeGreaterThanOrEqual(winogradSettings.minChunkTiles);
    expect(forward.chunk).toBeLessThan(32);
    expect(tiling(info, variant, 'filter-gradient').chunk).toBe(32);
    // Few tiles per image: the tile minimum keeps the whole batch in one GEMM.
    const small = planOf([32, 4, 4, 512], 512);
    expect(tiling(small.info, small.variant, 'convolution').chunk).toBe(32);
  });
});

describe('the choice of Winograd tile', () => {
  const plan = (shape: [number, number, number, number], channels: number, use?: 'filter-gradient') => {
    const info = tf.backend_util.computeConv2DInfo(shape, [3, 3, shape[3], channels], 1, 1, 'same');
    return winogradFor(tf.findBackend('wasm') as unknown as WasmBackendInternals, info, use)?.variant.tile;
  };

  it('takes F(4x4), but F(2x2) where transforming the filter outweighs the saving or 4x4 tiles waste too much', () => {
    expect(plan([32, 32, 32, 64], 64)).toBe(4);
    expect(plan([32, 8, 8, 256], 256)).toBe(4);
    expect(plan([32, 4, 4, 512], 512)).toBe(4);
    expect(plan([1, 4, 4, 512], 512)).toBe(2);
    expect(plan([1, 4, 4, 512], 512, 'filter-gradient')).toBe(4);
    expect(plan([1, 2, 2, 64], 64, 'filter-gradient')).toBe(2);
  });

  it('keeps the direct convolution where Winograd does not apply', () => {
    expect(plan([2, 8, 8, 8], 16)).toBeUndefined(); // too few input channels
    expect(plan([2, 8, 8, 18], 16)).toBeUndefined(); // channels not in whole vectors
    expect(plan([2, 8, 8, 16], 12)).toBeUndefined(); // output channels not a multiple of 8
    const backend = tf.findBackend('wasm') as unknown as WasmBackendInternals;
    const strided = (strides: [number, number]) => tf.backend_util.computeConv2DInfo([2, 8, 8, 16], [3, 3, 16, 16], strides, 1, 'same');
    expect(winogradFor(backend, strided([3, 3]))).toBeUndefined(); // stride 3
    expect(winogradFor(backend, strided([1, 2]))).toBeUndefined(); // different strides
    expect(winogradFor(backend, strided([1, 1]), 'input-gradient')).toBeUndefined(); // stride 1 flips instead
    const narrow = tf.backend_util.computeConv2DInfo([2, 8, 8, 20], [3, 3, 20, 16], 2, 1, 'same');
    expect(winogradFor(backend, narrow, 'input-gradient')).toBeUndefined(); // in-channels not a multiple of 8
  });

  it('follows the winograd option, and refuses tile sizes it does not have', () => {
    try {
      registerWasmTrainingKernels({ winograd: [2] });
      expect(plan([32, 32, 32, 64], 64)).toBe(2);
      registerWasmTrainingKernels({ winograd: [] });
      expect(plan([32, 32, 32, 64], 64)).toBeUndefined();
      expect(() => registerWasmTrainingKernels({ winograd: [3 as never] })).toThrow(/tile sizes 2 and\/or 4/);
    } finally {
      registerWasmTrainingKernels({ winograd: [2, 4] });
    }
  });
});
