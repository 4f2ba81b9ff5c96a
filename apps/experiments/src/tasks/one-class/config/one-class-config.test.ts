import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { parseOneClassConfig } from './one-class-config';
import { listOneClassPresets, oneClassPresetConfig } from './presets';
import { QUICK_NORMAL_CLASSES, QUICK_ONE_CLASS_LIMITS } from './quick';
import { resolveOneClassConfig } from './resolve-config';

describe('one-class presets', () => {
  it('fmnist-one-class and mnist-one-class: every class in turn, the four RotNet models, Table VI curvatures, both scorings', () => {
    expect(listOneClassPresets()).toEqual(['fmnist-one-class', 'mnist-one-class', 'cifar10-rotnet', 'fmnist-one-class-csi', 'cifar10-csi']);
    for (const name of ['fmnist-one-class', 'mnist-one-class']) {
      const config = oneClassPresetConfig(name);
      expect(config.normalClasses).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(config.models).toEqual(['RotNet', 'RotNet+SiT', 'RotNet+HiT', 'RotNet+MiT']);
      expect(config.curvatures).toEqual({ SiT: 1, HiT: -0.005, MiT: [1, -0.005] });
      expect(config.scorings).toEqual(['standard', 'released']);
      expect(config.trials).toBeGreaterThanOrEqual(3);
    }
    expect(oneClassPresetConfig('fmnist-one-class')).toMatchObject({ dataset: 'fashion-mnist', epochs: 2, limits: {} });
    expect(oneClassPresetConfig('cifar10-rotnet')).toMatchObject({ dataset: 'cifar10', backbone: { name: 'wrn-28-10' } });
  });

  it('--quick keeps every model and scoring: two normal classes, one trial, one epoch, small limits', () => {
    const quick = oneClassPresetConfig('fmnist-one-class', { quick: true });
    expect(quick).toMatchObject({ name: 'fmnist-one-class-quick', trials: 1, epochs: 1, limits: QUICK_ONE_CLASS_LIMITS });
    expect(quick.normalClasses).toEqual(QUICK_NORMAL_CLASSES);
    expect(quick.models).toHaveLength(4);
  });
});

describe('CSI presets', () => {
  it('fmnist-one-class-csi: every class, the four CSI models, Table VI CSI curvatures, 3 trials, the small CNN + 64-d feature', () => {
    const config = oneClassPresetConfig('fmnist-one-class-csi');
    expect(config).toMatchObject({
      dataset: 'fashion-mnist',
      backbone: { name: 'small-cnn' },
      embeddingDim: 64,
      normalClasses: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      models: ['CSI', 'CSI+SiT', 'CSI+HiT', 'CSI+MiT'],
      csiCurvatures: { SiT: 1, HiT: -0.01, MiT: [1, -0.01] },
      csi: { projectionDim: 128, temperature: 0.5, balancing: 'leave-one-out', cropScale: [0.08, 1] },
      scorings: ['standard', 'released'],
      trials: 3,
      epochs: 1,
      limits: { train: 1500, test: 3000 },
    });
    const quick = oneClassPresetConfig('fmnist-one-class-csi', { quick: true });
    expect(quick).toMatchObject({ name: 'fmnist-one-class-csi-quick', trials: 1, epochs: 1, limits: QUICK_ONE_CLASS_LIMITS });
    expect(quick.normalClasses).toEqual(QUICK_NORMAL_CLASSES);
    expect(quick.models).toEqual(config.models);
  });

  it("cifar10-csi: CSI's CIFAR-10 settings (ResNet-18, batch 32, 128-d projection, temperature 0.5), SGD momentum in place of LARS", () => {
    expect(oneClassPresetConfig('cifar10-csi')).toMatchObject({
      dataset: 'cifar10',
      backbone: { name: 'resnet18' },
      models: ['CSI', 'CSI+SiT', 'CSI+HiT', 'CSI+MiT'],
      csiCurvatures: { SiT: 1, HiT: -0.01, MiT: [1, -0.01] },
      csi: { projectionDim: 128, temperature: 0.5 },
      optimizer: { name: 'momentum', learningRate: 0.1, momentum: 0.9, milestones: [60, 80] },
      batchSize: 32,
      epochs: 100,
    });
    expect(oneClassPresetConfig('cifar10-csi').embeddingDim).toBeUndefined();
  });

  it('an older config without the CSI fields gets their defaults; a crop range upside down is refused', () => {
    const { csi: _csi, csiCurvatures: _k, ...old } = oneClassPresetConfig('fmnist-one-class');
    expect(parseOneClassConfig(old)).toMatchObject({ csiCurvatures: { SiT: 1, HiT: -0.01, MiT: [1, -0.01] }, csi: { projectionDim: 128 } });
    expect(() => parseOneClassConfig({ ...old, csi: { cropScale: [0.9, 0.2] } })).toThrow(
      /csi\.cropScale: give \[smallest, largest\] crop area, smallest first \(got \[0\.9,0\.2\]\)/,
    );
  });
});

describe('resolveOneClassConfig', () => {
  it('lays --set over the preset and --quick, and names each bad field with its value', () => {
    const config = resolveOneClassConfig({
      preset: 'mnist-one-class',
      quick: true,
      set: ['normalClasses=[3]', 'divergenceDirection=text'],
    });
    expect(config).toMatchObject({ normalClasses: [3], divergenceDirection: 'text', trials: 1 });
    const bad = () => resolveOneClassConfig({ preset: 'mnist-one-class', set: ['models=["RotNet+XiT"]', 'epocs=2'] });
    expect(bad).toThrow(
      /^invalid one-class experiment config \(preset mnist-one-class \+ --set models=\["RotNet\+XiT"\] \+ --set epocs=2\):\n/,
    );
    expect(bad).toThrow(/\n {2}\(config\): unknown key 'epocs'; allowed keys: name, dataset/);
    expect(bad).toThrow(/\n {2}models\.0: .*"RotNet\+SiT".*\(got "RotNet\+XiT"\)/);
    expect(() => resolveOneClassConfig({})).toThrow(/no experiment config: give a preset, a config file, or both/);
    expect(() => resolveOneClassConfig({ preset: 'fmnist-mnist' })).toThrow(
      /unknown one-class preset 'fmnist-mnist'; choose one of: fmnist-one-class/,
    );
  });

  it('refuses a repeated model or normal class, and a curvature of the wrong sign', () => {
    const base = oneClassPresetConfig('mnist-one-class');
    expect(() => parseOneClassConfig({ ...base, normalClasses: [1, 1] })).toThrow(ConfigError);
    expect(() => parseOneClassConfig({ ...base, normalClasses: [1, 1] })).toThrow(
      /normalClasses: each entry may appear once \(got \[1,1\]\)/,
    );
    expect(() => parseOneClassConfig({ ...base, curvatures: { ...base.curvatures, HiT: 0.005 } })).toThrow(
      /curvatures\.HiT: .*\(got 0\.005\)/,
    );
  });
});
