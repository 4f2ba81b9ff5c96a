import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { oneClassConfigSchema } from '../../one-class/config/one-class-config';
import { segmentationConfigFacts } from '../report/config-facts';
import { listSegmentationPresets, segmentationPresetConfig } from './presets';
import { parseSegmentationConfig } from './segmentation-config';

describe('segmentation config', () => {
  it('presets parse: fmnist-scenes (offline, 3 trials, both directions), its --quick, streethazards (the paper curvatures)', () => {
    expect(listSegmentationPresets()).toEqual(['fmnist-scenes', 'streethazards']);
    const full = segmentationPresetConfig('fmnist-scenes');
    expect(full).toMatchObject({ trials: 3, epochs: 4, models: ['baseline', 'SiT', 'HiT', 'MiT'], divergenceDirection: 'both' });
    expect(full.scenes).toMatchObject({ size: 64, train: 1000, test: 200, backgroundNoise: 40 });
    const quick = segmentationPresetConfig('fmnist-scenes', { quick: true });
    expect(quick).toMatchObject({ name: 'fmnist-scenes-quick', trials: 1, epochs: 1, scenes: { train: 96, test: 24 } });
    const street = segmentationPresetConfig('streethazards');
    expect(street.curvatures).toEqual({ SiT: 1, HiT: -0.01, MiT: [1, -0.01] });
    expect(street.streetHazards.size).toEqual([256, 512]);
    expect(segmentationPresetConfig('streethazards', { quick: true }).streetHazards).toMatchObject({
      size: [64, 128],
      train: 96,
      test: 24,
    });
  });

  it('refuses sizes the U-Net or the grid cannot take, repeated models and unknown fields, naming each', () => {
    const input = { name: 'x', dataset: 'fmnist-scenes', models: ['baseline'], epochs: 1, batchSize: 2 };
    expect(() => parseSegmentationConfig({ ...input, scenes: { size: 62 } })).toThrow(
      /scenes\.size: 62x62 must be a multiple of 2\^unet\.depth = 4/,
    );
    expect(() => parseSegmentationConfig({ ...input, scenes: { size: 48, grid: 2 } })).toThrow(/cells of at least 28 pixels/);
    expect(() => parseSegmentationConfig({ ...input, models: ['SiT', 'SiT'] })).toThrow(/models: each entry may appear once/);
    expect(() => parseSegmentationConfig({ ...input, curvatures: { SiT: 1, HiT: 0.5, MiT: [1, -1] } })).toThrow(ConfigError);
    expect(() => parseSegmentationConfig({ ...input, normalClasses: [0] })).toThrow(/normalClasses/);
  });

  it("is read by its own config facts and by no other task's schema", () => {
    const config = segmentationPresetConfig('fmnist-scenes');
    expect(segmentationConfigFacts(config)?.[0]?.value).toMatch(/Table VII/);
    expect(oneClassConfigSchema.strip().safeParse(config).success).toBe(false);
    expect(segmentationConfigFacts({ dataset: 'mnist' })).toBeNull();
  });
});
