// fmnist-released resolves to exactly the setup of issue 14 item 1 (values, field by field).
import { describe, expect, test } from 'vitest';
import { headOptions } from './head-options';
import { presetConfig } from './presets';

describe('preset fmnist-released', () => {
  const config = presetConfig('fmnist-released');

  test('data: Fashion-MNIST all 10 classes and every training image, the full test set, OOD the 10,000 MNIST digits, standardized', () => {
    expect(config.configurations).toEqual([
      {
        name: 'all-classes',
        description: 'ID: Fashion-MNIST, all 10 classes. OOD: the 10,000 MNIST test digits (far).',
        id: { dataset: 'fashion-mnist' },
        ood: [{ kind: 'dataset', name: 'MNIST', dataset: 'mnist' }],
      },
    ]);
    expect(config.limits).toEqual({});
    expect(config.data).toEqual({ standardize: true });
  });

  test('the released CNN (3x3 valid conv 32 + 2x2 max-pool, 3x3 valid conv 64 + 2x2 max-pool, dense 128) with no projection', () => {
    expect(config.backbone).toEqual({
      name: 'conv-stack',
      options: {
        layers: [
          { filters: 32, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
          { filters: 64, kernelSize: 3, padding: 'valid', pool: { kind: 'max', size: 2 } },
        ],
        dense: [128],
      },
    });
    expect(config.embeddingDim).toBeUndefined();
  });

  test('training: Adam 1e-3, batch 128, 5 epochs, 3 trials, every model', () => {
    expect(config.optimizer).toEqual({ name: 'adam', learningRate: 1e-3, momentum: 0.9, milestones: [], gamma: 0.1 });
    expect([config.batchSize, config.epochs, config.trials]).toEqual([128, 5, 3]);
    expect(config.models).toEqual(['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT']);
  });

  test('heads: released AngleLinear on the raw feature, ToPoincare expmap0 with margin 1e-3 and the Riemannian gradient, Ganea MLR, duplicate mixed heads', () => {
    const common = {
      learnCurvature: false,
      xi: 1e-3,
      poincareMode: 'expmap0',
      clipR: null,
      riemannianGradient: true,
      sphereComposition: 'released',
      sphereVariant: 'sphereface',
      scale: 1,
      mlr: 'ganea',
      productMode: 'duplicate',
    };
    expect(headOptions(config, 'gio')).toEqual(common);
    expect(headOptions(config, 'git')).toEqual(common);
    expect(config.curvatures).toEqual({ SiO: 1, HiO: -0.01, MiO: [1, -0.01], SiT: 1, HiT: -1, MiT: [1, -1] });
  });

  test('detectors: MSP, ODIN at the standardized-input step, and MaxLogit, energy, Mahalanobis and KNN on every model', () => {
    expect(config.detectors).toEqual({
      msp: true,
      odin: true,
      odinTemperature: 1000,
      odinEpsilon: 0.0014,
      odinHyperbolicEpsilon: 0.0014,
      maxlogit: true,
      energy: true,
      mahalanobis: true,
      knn: true,
      knnK: 50,
    });
  });

  test('--quick keeps the heads and the standardization, at the smoke-test size', () => {
    const quick = presetConfig('fmnist-released', { quick: true });
    expect(quick).toMatchObject({ trials: 1, epochs: 1, data: { standardize: true }, backbone: config.backbone });
    expect(headOptions(quick, 'git')).toEqual(headOptions(config, 'git'));
  });
});
