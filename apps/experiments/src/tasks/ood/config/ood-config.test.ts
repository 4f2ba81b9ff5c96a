import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../experiment-error';
import { PAPER_CURVATURES, parseOodConfig } from './ood-config';
import { listPresets, presetConfig, QUICK_LIMITS } from './presets';

describe('experiment config', () => {
  test('every preset validates, with the paper curvatures and 5 trials by default', () => {
    for (const name of listPresets()) {
      const config = presetConfig(name);
      expect(config.curvatures).toEqual(PAPER_CURVATURES);
      if (!['fmnist-2d', 'fmnist-released', 'fmnist-hio-ablation'].includes(name)) expect(config.trials).toBe(5);
    }
    expect(listPresets()).toEqual(
      expect.arrayContaining(['fmnist-mnist', 'mnist-holdout', 'cifar10-densenet', 'cifar100-densenet', 'cifar10-wrn', 'cifar100-wrn']),
    );
  });

  test('fmnist-mnist: all classes vs MNIST and noise; classes 0-5 vs the held-out 6-9', () => {
    const config = presetConfig('fmnist-mnist');
    expect(config.models).toEqual(['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT']);
    const [all, holdout] = config.configurations;
    expect(all!.ood.map((o) => o.name)).toEqual(['MNIST', 'Gaussian', 'Uniform']);
    expect(holdout!.id.classes).toEqual([0, 1, 2, 3, 4, 5]);
    expect(holdout!.ood[0]).toMatchObject({ kind: 'dataset', dataset: 'fashion-mnist', classes: [6, 7, 8, 9] });
  });

  test('--quick shrinks a preset to one short trial; --trials overrides', () => {
    const quick = presetConfig('fmnist-mnist', { quick: true });
    expect(quick).toMatchObject({ name: 'fmnist-mnist-quick', trials: 1, epochs: 1, limits: QUICK_LIMITS });
    expect(presetConfig('fmnist-mnist', { trials: 2 }).trials).toBe(2);
    expect(() => presetConfig('nope')).toThrow(/unknown preset 'nope'; choose one of: fmnist-mnist/);
  });

  test('bad fields give one message per problem, naming the field', () => {
    const base = presetConfig('mnist-holdout');
    const bad = { ...base, epochs: 0, models: ['baseline', 'XiO'], curvatures: { ...base.curvatures, HiO: 0.5 }, extra: 1 };
    let message = '';
    try {
      parseOodConfig(bad);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^invalid experiment config:/);
    expect(message).toMatch(/epochs: /);
    expect(message).toMatch(/models\.1: /);
    expect(message).toMatch(/curvatures\.HiO: /);
    expect(message).toMatch(/extra/);
    expect(() => parseOodConfig({ ...base, models: ['HiO', 'HiO'] })).toThrow(/models: each model may appear once/);
  });
});
