import { DEFECT_BENCHMARK_CATEGORIES } from '@curvad/datasets';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { segmentationConfigSchema } from '../../segmentation/config/segmentation-config';
import { patchSvddConfigFacts } from '../report/config-facts';
import { PATCH_SVDD_CURVATURES, parsePatchSvddConfig } from './patch-svdd-config';
import { listPatchSvddPresets, patchSvddPresetConfig } from './presets';

describe('patch-svdd config', () => {
  it('presets parse: fmnist-defects (the benchmark categories, every model, 3 trials), its --quick, mvtec (the paper settings)', () => {
    expect(listPatchSvddPresets()).toEqual(['fmnist-defects', 'mvtec']);
    const full = patchSvddPresetConfig('fmnist-defects');
    expect(full.categories).toEqual([...DEFECT_BENCHMARK_CATEGORIES]);
    expect(full).toMatchObject({ trials: 3, models: ['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT'], scorings: ['dagger', 'knn'] });
    expect(full.curvatures).toEqual(PATCH_SVDD_CURVATURES);
    expect(PATCH_SVDD_CURVATURES).toEqual({ SiO: 1, HiO: -0.01, MiO: [1, -0.01], SiT: 1, HiT: -1, MiT: [1, -1] });
    const quick = patchSvddPresetConfig('fmnist-defects', { quick: true });
    expect(quick).toMatchObject({ name: 'fmnist-defects-quick', trials: 1, stepsPerEpoch: 2, models: ['baseline', 'MiO', 'MiT'] });
    expect(quick.categories).toHaveLength(2);
    const mvtec = patchSvddPresetConfig('mvtec');
    expect(mvtec.categories).toHaveLength(15);
    expect(mvtec).toMatchObject({
      optimizer: { learningRate: 1e-4 },
      batchSize: 64,
      mvtec: { size: 256 },
      patch: { size: 64, smallStride: 4 },
    });
    expect(patchSvddPresetConfig('mvtec', { quick: true }).mvtec).toMatchObject({ size: 128, train: 24, test: 8 });
  });

  it('refuses patch sizes the encoder cannot take, strides that do not tile, wrong category kinds, naming each', () => {
    const input = {
      name: 'x',
      dataset: 'defect-benchmark',
      categories: [0],
      models: ['baseline'],
      epochs: 1,
      stepsPerEpoch: 1,
      batchSize: 2,
    };
    expect(() => parsePatchSvddConfig({ ...input, patch: { size: 96 } })).toThrow(/patch\.size: 96 must be 64, 128/);
    expect(() => parsePatchSvddConfig({ ...input, patch: { size: 64, largeStride: 24 } })).toThrow(/strides must tile the image exactly/);
    expect(() => parsePatchSvddConfig({ ...input, categories: ['bottle'] })).toThrow(/Fashion-MNIST class ids 0-9, got \["bottle"\]/);
    expect(() => parsePatchSvddConfig({ ...input, dataset: 'mvtec', categories: [3] })).toThrow(/names such as "bottle"/);
    expect(() => parsePatchSvddConfig({ ...input, dataset: 'mvtec', categories: ['bottle', 'bottel'] })).toThrow(
      /categories: \["bottel"\] not MVTec AD categories; choose from bottle, cable/,
    );
    expect(() => parsePatchSvddConfig({ ...input, benchmark: { size: 48 } })).toThrow(ConfigError);
    expect(() => parsePatchSvddConfig({ ...input, models: ['SiT', 'SiT'] })).toThrow(/models: each entry may appear once/);
  });

  it("is read by its own config facts and by no other task's schema", () => {
    const config = patchSvddPresetConfig('fmnist-defects');
    expect(patchSvddConfigFacts(config)?.[0]?.value).toMatch(/Tables VIII and IX/);
    expect(segmentationConfigSchema.strip().safeParse(config).success).toBe(false);
    expect(patchSvddConfigFacts({ dataset: 'mnist' })).toBeNull();
  });
});
