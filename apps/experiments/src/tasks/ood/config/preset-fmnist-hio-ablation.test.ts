// fmnist-hio-ablation: HiO and HiT, one factor at a time from the reference, as configurations with
// their own model settings (issue 14 item 4); each configuration's models get exactly its settings.
import { describe, expect, test } from 'vitest';
import { configurationConfig } from './configuration-config';
import { headOptions } from './head-options';
import { presetConfig } from './presets';

describe('preset fmnist-hio-ablation', () => {
  const config = presetConfig('fmnist-hio-ablation');
  const of = (name: string) => configurationConfig(config, name);

  test('HiO and HiT, 3 trials, all 60,000 training images vs MNIST, 3 epochs of the small CNN', () => {
    expect(config.models).toEqual(['HiO', 'HiT']);
    expect([config.trials, config.epochs, config.batchSize]).toEqual([3, 3, 128]);
    expect(config.limits).toEqual({});
    expect(config.backbone).toEqual({ name: 'small-cnn', options: {} });
    expect(config.configurations.map((c) => c.name)).toEqual([
      'k-1e-4',
      'k-1e-2',
      'k-1',
      'learned-k',
      'clip-r',
      'released-map',
      'dim-2',
      'dim-16',
    ]);
    for (const c of config.configurations) expect(c.ood).toEqual([{ kind: 'dataset', name: 'MNIST', dataset: 'mnist' }]);
  });

  test('curvature -1e-4, -1e-2, -1 for both models; every other factor at the reference -1e-2', () => {
    const curvature = (name: string) => [of(name).curvatures.HiO, of(name).curvatures.HiT];
    expect(curvature('k-1e-4')).toEqual([-1e-4, -1e-4]);
    expect(curvature('k-1e-2')).toEqual([-1e-2, -1e-2]);
    expect(curvature('k-1')).toEqual([-1, -1]);
    for (const name of ['learned-k', 'clip-r', 'released-map', 'dim-2', 'dim-16']) expect(curvature(name)).toEqual([-1e-2, -1e-2]);
  });

  test('one factor each: learnable k, clipR = 1, the released map, embedding 2 / 16 (128 the reference)', () => {
    const reference = headOptions(of('k-1e-2'), 'gio');
    expect(reference).toMatchObject({ learnCurvature: false, clipR: null, poincareMode: 'clip', xi: 4e-3, riemannianGradient: false });
    expect(headOptions(of('learned-k'), 'gio')).toEqual({ ...reference, learnCurvature: true });
    expect(headOptions(of('clip-r'), 'gio')).toEqual({ ...reference, clipR: 1 });
    expect(headOptions(of('released-map'), 'git')).toEqual({
      ...headOptions(of('k-1e-2'), 'git'),
      poincareMode: 'expmap0',
      xi: 1e-3,
      riemannianGradient: true,
    });
    expect(['k-1e-2', 'dim-2', 'dim-16'].map((name) => of(name).embeddingDim)).toEqual([128, 2, 16]);
  });
});
