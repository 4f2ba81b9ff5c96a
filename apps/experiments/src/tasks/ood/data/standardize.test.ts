// Input standardization (issue 14): exact per-channel statistics of the ID training set, applied to
// every image through the datasets pipeline (ID and OOD sets) or in place (noise), off by default.
import type { ImageSet } from '@curvad/datasets';
import { describe, expect, test } from 'vitest';
import { imageTensors } from '../../../core/eval-images';
import { parseOodConfig } from '../config/ood-config';
import { TINY_MNIST_HOLDOUT } from '../test-support';
import { loadConfigurationData } from './load-data';
import { channelStatistics, standardizeFloatImages, standardizingNormalization } from './standardize';

/** Two 1x2 RGB images: channel values chosen so the statistics are easy to state. */
const RGB: ImageSet = {
  images: Uint8Array.from([0, 0, 10, 255, 255, 20, 0, 255, 10, 255, 0, 20]),
  labels: Uint8Array.from([0, 1]),
  shape: [2, 1, 2, 3],
};

describe('channelStatistics', () => {
  test('mean and population std per channel on the [0, 1] scale, over every pixel of every image', () => {
    const stats = channelStatistics(RGB);
    expect(stats.images).toBe(2);
    expect(stats.mean).toEqual([0.5, 0.5, 15 / 255]);
    expect(stats.std).toEqual([0.5, 0.5, 5 / 255]);
    // A constant channel cannot be standardized: refused, naming the option.
    const flat: ImageSet = { ...RGB, images: RGB.images.map((v, i) => (i % 3 === 1 ? 7 : v)) };
    expect(() => channelStatistics(flat)).toThrow(/data\.standardize: channel 1 .* constant \(std 0\)/);
  });

  test('the pipeline normalization and the in-place float version give (v / 255 - mean) / std', () => {
    const stats = { mean: [0.25], std: [0.5], images: 1 };
    const set: ImageSet = { images: Uint8Array.from([0, 51, 255]), labels: Uint8Array.from([0]), shape: [1, 1, 3, 1] };
    const batches: number[][] = [];
    for (const t of imageTensors({ ...set, normalize: standardizingNormalization(stats) }, 10)) batches.push(Array.from(t.dataSync()));
    const expected = [0, 51, 255].map((v) => (v / 255 - 0.25) / 0.5);
    expect(batches).toHaveLength(1);
    for (const [i, v] of batches[0]!.entries()) expect(v).toBeCloseTo(expected[i]!, 6);
    const floats = standardizeFloatImages({ x: Float32Array.from([0, 0.2, 1]), shape: [1, 1, 3, 1] }, stats);
    for (const [i, v] of Array.from(floats.x).entries()) expect(v).toBeCloseTo(expected[i]!, 6);
  });
});

describe('loadConfigurationData with data.standardize', () => {
  const input = {
    name: 'standardize',
    ...TINY_MNIST_HOLDOUT,
    configurations: [
      {
        ...TINY_MNIST_HOLDOUT.configurations[0],
        ood: [...TINY_MNIST_HOLDOUT.configurations[0]!.ood, { kind: 'noise', name: 'Uniform', noise: 'uniform', count: 20 }],
      },
    ],
    models: ['baseline'],
    epochs: 1,
    batchSize: 8,
    limits: { train: 60, test: 25, ood: 20 },
    seed: 3,
  } as const;

  test('statistics of the selected, limited ID training set, the same normalization on every set; noise standardized', async () => {
    const off = await loadConfigurationData(parseOodConfig(input), parseOodConfig(input).configurations[0]!);
    const config = parseOodConfig({ ...input, data: { standardize: true } });
    const on = await loadConfigurationData(config, config.configurations[0]!);
    const stats = channelStatistics(off.train);
    expect(on.inputStandardization).toEqual(stats);
    expect(on.train.images).toEqual(off.train.images);
    const normalize = standardizingNormalization(stats);
    expect([on.train.normalize, on.test.normalize]).toEqual([normalize, normalize]);
    expect('normalize' in on.ood[0]!.images && on.ood[0]!.images.normalize).toEqual(normalize);
    const noiseOff = off.ood[1]!.images as { x: Float32Array };
    const noiseOn = on.ood[1]!.images as { x: Float32Array };
    expect(noiseOn.x[5]).toBeCloseTo((noiseOff.x[5]! - stats.mean[0]!) / stats.std[0]!, 5);
    // Off (the default, every preset but fmnist-released): no statistics and no normalization, pixels / 255.
    expect(off.inputStandardization).toBeUndefined();
    expect(off.train.normalize).toBeUndefined();
  });
});
