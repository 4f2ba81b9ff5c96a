import { initBackend } from '@curvad/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackboneError } from './errors';
import { type BackboneName, createBackbone, listBackbones } from './registry';

/** Presets built (with their embedding shape checked) in parameter-count.test.ts, without a forward pass. */
const BUILT_IN_COUNT_TEST = ['wrn-28-10', 'wrn-16-4', 'wrn-40-2', 'densenet-bc-100-12'] as const;

/** Every other registered name, with options small enough to run fast, and the output shape it must produce. */
const SMALL_BUILDS: Record<
  Exclude<BackboneName, (typeof BUILT_IN_COUNT_TEST)[number]>,
  { options: object; input: number[]; output: number[] }
> = {
  conv4: { options: {}, input: [2, 28, 28, 1], output: [2, 64] },
  'conv-stack': { options: {}, input: [2, 28, 28, 1], output: [2, 128] },
  lenet: { options: {}, input: [2, 28, 28, 1], output: [2, 84] },
  'small-cnn': { options: {}, input: [2, 28, 28, 1], output: [2, 128] },
  resnet18: { options: { baseWidth: 4 }, input: [2, 32, 32, 3], output: [2, 32] },
  'wide-resnet': { options: { depth: 10, widen: 1 }, input: [2, 32, 32, 3], output: [2, 64] },
  'densenet-bc': { options: { depth: 10 }, input: [2, 32, 32, 3], output: [2, 27] },
  'patch-svdd': { options: { patchSize: 32, embeddingDim: 16 }, input: [2, 32, 32, 3], output: [2, 16] },
  'patch-svdd-32': { options: {}, input: [2, 32, 32, 3], output: [2, 64] },
  'patch-svdd-64': { options: {}, input: [1, 64, 64, 3], output: [1, 64] },
  'segmentation-unet': { options: { depth: 2, width: 4, inputShape: [32, 32, 3] }, input: [1, 32, 32, 3], output: [1, 32, 32, 32] },
};

// wasm runs the forward passes several times faster than the pure-JS cpu backend.
beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: false });
});

describe('registry', () => {
  it('lists every backbone, sorted', () => {
    const names = listBackbones();
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'conv4',
        'conv-stack',
        'lenet',
        'small-cnn',
        'resnet18',
        'wrn-28-10',
        'wrn-16-4',
        'wrn-40-2',
        'densenet-bc-100-12',
        'patch-svdd-64',
        'segmentation-unet',
      ]),
    );
  });

  it('covers every registered name', () => {
    expect([...Object.keys(SMALL_BUILDS), ...BUILT_IN_COUNT_TEST].sort()).toEqual(listBackbones());
  });

  for (const name of Object.keys(SMALL_BUILDS) as (keyof typeof SMALL_BUILDS)[]) {
    it(`${name}: builds, names its output layer 'embedding' and predicts the documented shape`, () => {
      const spec = SMALL_BUILDS[name];
      expect(spec).toBeDefined();
      const model = createBackbone(name, spec.options);
      expect(model.getLayer('embedding').output).toBe(model.outputs[0]);
      expect(model.outputs[0]!.shape).toEqual([null, ...spec.output.slice(1)]);
      const x = tf.randomNormal(spec.input, 0, 1, 'float32', 5);
      const y = model.predict(x) as tf.Tensor;
      expect(y.shape).toEqual(spec.output);
      expect(y.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it('rejects an unknown name with the list of known ones', () => {
    expect(() => createBackbone('resnet50')).toThrowError(/Unknown backbone 'resnet50'\. Known backbones: .*conv4.*wrn-28-10/);
    try {
      createBackbone('resnet50');
    } catch (error) {
      expect(BackboneError.isInstance(error)).toBe(true);
    }
  });

  it('rejects a preset option that contradicts the preset, and accepts the same value', () => {
    expect(() => createBackbone('wrn-28-10', { depth: 16 } as object)).toThrowError(/depth is fixed to 28/);
    const model = createBackbone('wrn-40-2', { depth: 40, inputShape: [8, 8, 3] } as object);
    expect(model.name).toBe('wrn_40_2');
    model.dispose();
  });

  it('passes options through (seed, inputShape)', () => {
    const a = createBackbone('small-cnn', { seed: 9, inputShape: [12, 12, 3] });
    expect(a.inputs[0]!.shape).toEqual([null, 12, 12, 3]);
    const b = createBackbone('small-cnn', { seed: 9, inputShape: [12, 12, 3] });
    expect(Array.from(a.weights[0]!.read().dataSync())).toEqual(Array.from(b.weights[0]!.read().dataSync()));
    a.dispose();
    b.dispose();
  });
});
