import { initBackend } from '@curvad/runtime';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { convStack } from './conv-stack';
import type { ConvStackLayer, ConvStackOptions } from './conv-stack-options';
import { BackboneError } from './errors';
import { parameterCount } from './parameter-count';
import { createBackbone } from './registry';
import { withClassifier } from './with-classifier';

// Closed forms written from the layer definitions, independent of conv-stack-options.ts:
// valid conv floor((n - k) / s) + 1, symmetric 'same' conv ceil(n / s), unpadded pool floor((n - p) / q) + 1.
function expectedShape(options: ConvStackOptions & { inputShape: [number, number, number] }) {
  let [h, w, c] = options.inputShape;
  let trainable = 0;
  let nonTrainable = 0;
  let shrinks = false;
  for (const layer of options.layers ?? []) {
    const s = layer.stride ?? 1;
    const k = layer.kernelSize;
    const side = (n: number) => (layer.padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
    [h, w] = [side(h), side(w)];
    shrinks ||= h < 1 || w < 1;
    trainable += k * k * c * layer.filters + (layer.batchNorm ? 2 * layer.filters : layer.filters);
    nonTrainable += layer.batchNorm ? 2 * layer.filters : 0;
    c = layer.filters;
    if (layer.pool) {
      const q = layer.pool.stride ?? layer.pool.size;
      const pooled = (n: number) => Math.floor((n - layer.pool!.size) / q) + 1;
      [h, w] = [pooled(h), pooled(w)];
      shrinks ||= h < 1 || w < 1;
    }
  }
  let features = options.reduce === 'global-average' ? c : h * w * c;
  for (const units of options.dense ?? []) {
    trainable += features * units + units;
    features = units;
  }
  return { shrinks, features, trainable, nonTrainable };
}

const layerArbitrary: fc.Arbitrary<ConvStackLayer> = fc
  .record({
    filters: fc.integer({ min: 1, max: 4 }),
    half: fc.integer({ min: 0, max: 2 }),
    even: fc.boolean(),
    stride: fc.integer({ min: 1, max: 3 }),
    padding: fc.constantFrom('valid' as const, 'same' as const),
    activation: fc.constantFrom('relu' as const, 'tanh' as const, 'linear' as const),
    batchNorm: fc.boolean(),
    pool: fc.option(
      fc.record({
        kind: fc.constantFrom('max' as const, 'avg' as const),
        size: fc.integer({ min: 1, max: 3 }),
        stride: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  // 'same' needs an odd kernel; 'valid' may take any size 1..5.
  .map(({ half, even, ...layer }) => {
    const { stride: poolStride, ...pool } = layer.pool ?? { stride: undefined };
    return {
      ...layer,
      kernelSize: 2 * half + 1 + (even && layer.padding === 'valid' ? 1 : 0),
      pool:
        layer.pool === undefined
          ? undefined
          : { ...(pool as { kind: 'max' | 'avg'; size: number }), ...(poolStride === undefined ? {} : { stride: poolStride }) },
    };
  });

const optionsArbitrary = fc.record({
  inputShape: fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3 })),
  layers: fc.array(layerArbitrary, { minLength: 1, maxLength: 3 }),
  reduce: fc.constantFrom('flatten' as const, 'global-average' as const),
  dense: fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 2 }),
});

function built(options: ConvStackOptions) {
  const model = convStack(options);
  try {
    return {
      output: model.outputs[0]!.shape,
      count: parameterCount(model),
      embeddingIsOutput: model.getLayer('embedding').output === model.outputs[0],
    };
  } finally {
    model.dispose();
  }
}

describe('convStack: shapes and parameter counts (no forward pass)', () => {
  it('the issue example on 28x28x1 has 223,744 parameters, counted by hand', () => {
    // conv1: 3*3*1*32 + 32 = 320; conv2: 3*3*32*64 + 64 = 18,496; after two valid 3x3 convs and two 2x2
    // pools the map is 28 -> 26 -> 13 -> 11 -> 5, so dense: (5*5*64 = 1,600)*128 + 128 = 204,928.
    const model = createBackbone('conv-stack', {
      layers: [
        { filters: 32, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
        { filters: 64, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
      ],
      dense: [128],
    });
    expect(parameterCount(model)).toEqual({ trainable: 223_744, nonTrainable: 0, total: 223_744 });
    expect(model.getLayer('conv1').outputShape).toEqual([null, 26, 26, 32]);
    expect(model.getLayer('conv1_max_pool').outputShape).toEqual([null, 13, 13, 32]);
    expect(model.getLayer('conv2').outputShape).toEqual([null, 11, 11, 64]);
    expect(model.getLayer('conv2_max_pool').outputShape).toEqual([null, 5, 5, 64]);
    expect(model.getLayer('flatten').outputShape).toEqual([null, 1600]);
    expect(model.outputs[0]!.shape).toEqual([null, 128]);
    // With a 10-class head (128*10 + 10 = 1,290), as the README's parameter table counts.
    const classifier = withClassifier(model, 10);
    expect(parameterCount(classifier).trainable).toBe(225_034);
    classifier.dispose();
    // The defaults are that net: the same count without options.
    expect(built({}).count.trainable).toBe(223_744);
  });

  it('a same-padded strided conv with batch norm, an overlapping pool, global average pooling and two dense layers', () => {
    // conv1 5x5 stride 2 'same' on 32x32x3: pad 2 on every side (36x36), ceil(32/2) = 16; 5*5*3*16 = 1,200 + BN 32.
    // pool 3 stride 2: floor((16-3)/2)+1 = 7. conv2 3x3 'same' linear: 7x7x32, 3*3*16*32 = 4,608 + BN 64.
    // global average: 32; dense 32*64+64 = 2,112; dense 64*32+32 = 2,080. Trainable 10,096; BN statistics 96.
    const options: ConvStackOptions = {
      inputShape: [32, 32, 3],
      layers: [
        { filters: 16, kernelSize: 5, stride: 2, padding: 'same', batchNorm: true, pool: { kind: 'max', size: 3, stride: 2 } },
        { filters: 32, kernelSize: 3, padding: 'same', batchNorm: true, activation: 'linear' },
      ],
      reduce: 'global-average',
      dense: [64, 32],
    };
    const model = convStack(options);
    expect(model.getLayer('conv1_pad').outputShape).toEqual([null, 36, 36, 3]);
    expect(model.getLayer('conv1').outputShape).toEqual([null, 16, 16, 16]);
    expect(model.getLayer('conv1_max_pool').outputShape).toEqual([null, 7, 7, 16]);
    expect(model.getLayer('conv2').outputShape).toEqual([null, 7, 7, 32]);
    expect(model.layers.map((l) => l.name)).not.toContain('conv2_linear');
    expect(model.outputs[0]!.shape).toEqual([null, 32]);
    expect(parameterCount(model)).toEqual({ trainable: 10_096, nonTrainable: 96, total: 10_192 });
    model.dispose();
  });

  it('a non-square input, a strided valid tanh conv, an avg-pool and no dense layer (the flattened map is the embedding)', () => {
    // 20x28x1 -> 5x5 stride 2 valid: floor(15/2)+1 = 8, floor(23/2)+1 = 12 -> 8x12x8 (5*5*8 + 8 = 208)
    // -> 3x3 valid: 6x10x4 (3*3*8*4 + 4 = 292) -> 2x2 avg-pool: 3x5x4 -> flatten: 60. Trainable 500.
    const { output, count, embeddingIsOutput } = built({
      inputShape: [20, 28, 1],
      layers: [
        { filters: 8, kernelSize: 5, stride: 2, activation: 'tanh' },
        { filters: 4, kernelSize: 3, pool: { kind: 'avg', size: 2 } },
      ],
      dense: [],
    });
    expect(output).toEqual([null, 60]);
    expect(count).toEqual({ trainable: 500, nonTrainable: 0, total: 500 });
    expect(embeddingIsOutput).toBe(true);
  });

  test.prop([optionsArbitrary], { numRuns: 40 })(
    'any description: builds exactly when no map shrinks below 1x1, with the closed-form embedding size and counts',
    (options) => {
      const expected = expectedShape(options);
      if (expected.shrinks) {
        expect(() => convStack(options)).toThrowError(/would shrink the \d+x\d+ map to \d+x\d+/);
        return;
      }
      const { output, count, embeddingIsOutput } = built(options);
      expect(output).toEqual([null, expected.features]);
      expect(count.trainable).toBe(expected.trainable);
      expect(count.nonTrainable).toBe(expected.nonTrainable);
      expect(embeddingIsOutput).toBe(true);
    },
  );
});

describe('convStack: initialisation', () => {
  const weightsOf = (model: tfl.LayersModel, layer: string) =>
    model
      .getLayer(layer)
      .getWeights()
      .map((w) => Array.from(w.dataSync()));

  it("uses PyTorch's default U(+-1/sqrt(fan_in)) for kernel and bias unless told otherwise, seeded", () => {
    const a = convStack({ seed: 4 });
    const b = convStack({ seed: 4 });
    const c = convStack({ seed: 5 });
    const [kernel, bias] = weightsOf(a, 'conv2');
    const bound = 1 / Math.sqrt(3 * 3 * 32);
    expect(Math.max(...kernel!.map(Math.abs))).toBeLessThanOrEqual(bound);
    // A uniform draw of 18,432 values reaches close to the bound; a narrower scheme would not.
    expect(Math.max(...kernel!.map(Math.abs))).toBeGreaterThan(0.99 * bound);
    expect(Math.max(...bias!.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(bias!.some((v) => v !== 0)).toBe(true);
    expect(weightsOf(b, 'conv2')).toEqual(weightsOf(a, 'conv2'));
    expect(weightsOf(c, 'conv2')[0]).not.toEqual(kernel);
    for (const m of [a, b, c]) m.dispose();
  });

  it("init 'he-normal-fan-in' draws N(0, 2 / fan_in) kernels with zero biases", () => {
    const model = convStack({ seed: 4, init: 'he-normal-fan-in' });
    const [kernel, bias] = weightsOf(model, 'embedding');
    const std = Math.sqrt(kernel!.reduce((s, v) => s + v * v, 0) / kernel!.length);
    expect(Math.abs(std / Math.sqrt(2 / 1600) - 1)).toBeLessThan(0.01);
    expect(bias!.every((v) => v === 0)).toBe(true);
    model.dispose();
  });
});

describe('convStack: training on wasm', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm', log: false });
  });

  it('the default net with a 10-class head fits a fixed batch in a few Adam steps, with finite losses', async () => {
    const model = withClassifier(convStack({ seed: 2 }), 10, { seed: 2 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: (y: tf.Tensor, logits: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits) });
    const images = tf.randomNormal([16, 28, 28, 1], 0, 1, 'float32', 7);
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10));
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) losses.push((await model.trainOnBatch(images, labels)) as number);
    expect(tf.getBackend()).toBe('wasm');
    expect(losses.every(Number.isFinite)).toBe(true);
    // Random labels on 16 random images: a net that learns memorises them, so the loss falls well below ln 10.
    expect(losses.at(-1)!).toBeLessThan(0.8 * losses[0]!);
    tf.dispose([images, labels]);
    model.dispose();
  });
});

describe('convStack errors', () => {
  it('are BackboneErrors', () => {
    let error: unknown;
    try {
      convStack({ inputShape: [2, 2, 1] });
    } catch (e) {
      error = e;
    }
    expect(BackboneError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/layers\[0\] \(3x3 conv, stride 1, 'valid' padding\) would shrink the 2x2 map to 0x0/);
  });
});
