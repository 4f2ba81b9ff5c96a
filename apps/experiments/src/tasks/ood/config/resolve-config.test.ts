import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_XI } from '@curvad/geo-layers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readConfigFile } from '../../../core/config/config-file';
import { configDifferences } from '../../../core/store/config-diff';
import { ConfigError } from '../../../experiment-error';
import { runDetectors } from '../score/score-methods';
import { formatOodConfig } from './format-config';
import { DEFAULT_POINCARE_MARGIN, parseOodConfig, withConfigDefaults } from './ood-config';
import { listPresets, presetConfig, QUICK_LIMITS } from './presets';
import { type ResolveOodConfigOptions, resolveOodConfig } from './resolve-config';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'curvad-resolve-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function failure(options: ResolveOodConfigOptions): string {
  try {
    resolveOodConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

const file = (data: Record<string, unknown>, label = 'my.yaml') => ({ label, data });

describe('resolveOodConfig', () => {
  test('a preset alone is the preset; the new head and detector fields default to what the code did before', () => {
    for (const name of listPresets()) {
      expect(resolveOodConfig({ preset: name })).toEqual(presetConfig(name));
      expect(resolveOodConfig({ preset: name, quick: true, trials: 2 })).toEqual(presetConfig(name, { quick: true, trials: 2 }));
    }
    expect(resolveOodConfig({ preset: 'fmnist-mnist' })).toMatchObject({
      learnCurvature: false,
      poincareMode: 'clip',
      poincareMargin: DEFAULT_XI,
      featureClipRadius: null,
      mlr: { gio: 'compact', git: 'ganea' },
      productMode: { gio: 'split', git: 'duplicate' },
      detectors: { maxlogit: true, energy: true, mahalanobis: true, knn: true, knnK: 50 },
      data: { standardize: false },
    });
    // Detectors beyond the paper: on in the fmnist-* and CIFAR presets (issue 14 item 3), not in mnist-holdout.
    expect(resolveOodConfig({ preset: 'mnist-holdout' }).detectors).toMatchObject({
      maxlogit: false,
      energy: false,
      mahalanobis: false,
      knn: false,
    });
    expect(DEFAULT_POINCARE_MARGIN).toBe(DEFAULT_XI);
  });

  test('the file goes over the preset (objects merge, arrays replace, null removes), then --quick, --trials/--epochs, then each --set', () => {
    const config = resolveOodConfig({
      preset: 'fmnist-mnist',
      file: file({
        optimizer: { learningRate: 0.01 },
        models: ['baseline', 'HiO'],
        embeddingDim: null,
        trials: 4,
        sphereVariant: 'sphereface',
      }),
      quick: true,
      epochs: 2,
      set: ['configurations.0.ood.1.count=500', 'learnCurvature=true', 'mlr.gio=ganea', 'epochs=3', 'limits.train=null'],
    });
    expect(config.optimizer).toEqual({ name: 'adam', learningRate: 0.01, momentum: 0.9, milestones: [], gamma: 0.1 });
    expect(config.models).toEqual(['baseline', 'HiO']);
    expect(config.embeddingDim).toBeUndefined();
    expect(config.trials).toBe(1); // --quick comes after the file
    expect(config.epochs).toBe(3); // --set comes after --epochs
    expect(config.limits).toEqual({ test: QUICK_LIMITS.test, ood: QUICK_LIMITS.ood });
    expect(config.configurations[0]!.ood[1]).toMatchObject({ kind: 'noise', count: 500 });
    expect(config.configurations[0]!.ood[2]).toMatchObject({ kind: 'noise', count: QUICK_LIMITS.ood });
    expect(config).toMatchObject({
      name: 'fmnist-mnist-quick',
      learnCurvature: true,
      mlr: { gio: 'ganea', git: 'ganea' },
      sphereVariant: 'sphereface',
    });
    expect(resolveOodConfig({ preset: 'fmnist-mnist', file: file({ trials: 4 }), trials: 2 }).trials).toBe(2);
    const printedQuick = JSON.parse(formatOodConfig(presetConfig('mnist-holdout', { quick: true }))) as Record<string, unknown>;
    expect(resolveOodConfig({ file: file(printedQuick), quick: true }).name).toBe('mnist-holdout-quick');
  });

  test('a file alone is the whole config; what it lacks is named, and a --set may supply it', () => {
    const whole = {
      name: 'mine',
      configurations: presetConfig('mnist-holdout').configurations,
      backbone: { name: 'small-cnn' },
      models: ['baseline'],
      batchSize: 64,
    };
    expect(failure({ file: file(whole, 'mine.json') })).toBe(
      'invalid experiment config (mine.json):\n  epochs: Invalid input: expected number, received undefined (got missing)',
    );
    expect(resolveOodConfig({ file: file(whole), set: ['epochs=2'] })).toMatchObject({
      name: 'mine',
      epochs: 2,
      trials: 5,
      backbone: { name: 'small-cnn', options: {} },
    });
    expect(failure({})).toMatch(/no experiment config: give a preset, a config file, or both/);
    expect(() => resolveOodConfig({ preset: 'nope' })).toThrow(/unknown preset 'nope'; choose one of: fmnist-mnist/);
  });

  test('an unknown key, at any depth, names its path and lists the allowed keys', () => {
    expect(failure({ preset: 'fmnist-mnist', file: file({ optimizer: { lr: 0.1 } }) })).toBe(
      "invalid experiment config (preset fmnist-mnist + my.yaml):\n  optimizer: unknown key 'lr'; allowed keys: name, learningRate, momentum, milestones, gamma",
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['epoch=2'] })).toMatch(
      /^invalid experiment config \(preset fmnist-mnist \+ --set epoch=2\):\n {2}\(config\): unknown key 'epoch'; allowed keys: name, configurations, backbone, embeddingDim, models, detectors, curvatures, sphereVariant, .*epochs/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['configurations.0.ood.1.size=500'] })).toMatch(
      /configurations\.0\.ood\.1: unknown key 'size'; allowed keys: kind, name, noise, count/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['configurations.0.id.classs=[1]'] })).toMatch(
      /configurations\.0\.id: unknown key 'classs'; allowed keys: dataset, classes, partition/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['detectors.lof=true', 'limits.val=3'] })).toMatch(
      /detectors: unknown key 'lof'; allowed keys: msp, odin, .*maxlogit, energy, mahalanobis, knn, knnK\n {2}limits: unknown key 'val'; allowed keys: train, test, ood$/,
    );
  });

  test('a wrong type or an out-of-range value names the path, the value and what is allowed', () => {
    expect(failure({ preset: 'fmnist-mnist', set: ['epochs=two'] })).toMatch(
      /\n {2}epochs: Invalid input: expected number, received string \(got "two"\)$/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['sphereVariant=angular'] })).toMatch(
      /sphereVariant: Invalid option: expected one of "paper"\|"sphereface" \(got "angular"\)/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['poincareMargin=1.5'] })).toMatch(
      /poincareMargin: Too big: expected number to be <1 \(got 1.5\)/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['curvatures.HiO=0.01'] })).toMatch(
      /curvatures\.HiO: Too big: expected number to be <0 \(got 0.01\)/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['models=["baseline","XiO"]'] })).toMatch(
      /models\.1: Invalid option: expected one of "baseline"\|"SiO"\|.* \(got "XiO"\)/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['configurations.1.ood.0.kind=file'] })).toMatch(
      /configurations\.1\.ood\.0\.kind: .*'dataset' \| 'noise' \| 'odin-set' \(got "file"\)/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['models=["HiO","HiO"]'] })).toMatch(
      /models: each model may appear once \(got \["HiO","HiO"\]\)/,
    );
  });

  test('Mahalanobis and KNN: off by default, switched on by --set or a config file; a bad value is one message naming the field', () => {
    // --quick turns the fitted detectors off (they would slow the smoke run past a minute); --set turns them back on.
    for (const name of listPresets()) {
      expect(runDetectors(presetConfig(name, { quick: true }))).not.toEqual(expect.arrayContaining(['mahalanobis']));
      expect(runDetectors(presetConfig(name, { quick: true }))).not.toEqual(expect.arrayContaining(['knn']));
    }
    expect(runDetectors(presetConfig('mnist-holdout'))).toEqual(['msp', 'odin', 'geometric', 'odin-hyperbolic']);
    expect(runDetectors(presetConfig('fmnist-mnist', { quick: true }))).toEqual([
      'msp',
      'odin',
      'maxlogit',
      'energy',
      'geometric',
      'odin-hyperbolic',
    ]);
    const on = resolveOodConfig({
      preset: 'fmnist-mnist',
      quick: true,
      set: ['detectors.mahalanobis=true', 'detectors.knn=true', 'detectors.knnK=10'],
    });
    expect(on.detectors).toMatchObject({ mahalanobis: true, knn: true, knnK: 10, msp: true, odin: true });
    expect(runDetectors(on)).toEqual(['msp', 'odin', 'maxlogit', 'energy', 'geometric', 'odin-hyperbolic', 'mahalanobis', 'knn']);
    expect(resolveOodConfig({ preset: 'fmnist-mnist', file: file({ detectors: { knn: true } }) }).detectors).toMatchObject({
      knn: true,
      knnK: 50,
    });
    expect(failure({ preset: 'fmnist-mnist', set: ['detectors.knnK=0'] })).toBe(
      'invalid experiment config (preset fmnist-mnist + --set detectors.knnK=0):\n  detectors.knnK: Too small: expected number to be >=1 (got 0)',
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['detectors.knnK=2.5'] })).toMatch(
      /^invalid .*\n {2}detectors\.knnK: Invalid input: expected int, received number \(got 2\.5\)$/,
    );
    expect(failure({ preset: 'fmnist-mnist', set: ['detectors.knn=yes'] })).toBe(
      'invalid experiment config (preset fmnist-mnist + --set detectors.knn=yes):\n  detectors.knn: Invalid input: expected boolean, received string (got "yes")',
    );
  });

  test('--print-config output (JSON or YAML) read back as a whole config gives the same config', async () => {
    for (const name of listPresets()) {
      const config = resolveOodConfig({ preset: name, quick: true, set: ['learnCurvature=true', 'featureClipRadius=2'] });
      for (const format of ['json', 'yaml'] as const) {
        const path = join(dir, `${name}.${format}`);
        await writeFile(path, formatOodConfig(config, format));
        expect(resolveOodConfig({ file: file(await readConfigFile(path), path) })).toEqual(config);
      }
    }
  });

  test('a run recorded before the new fields existed compares equal to the same config today (resume)', () => {
    // Recorded before: the head fields, the extra detectors (then off, their default) and data.standardize.
    const { learnCurvature, poincareMode, poincareMargin, featureClipRadius, mlr, productMode, data, ...recorded } = structuredClone(
      presetConfig('mnist-holdout', { quick: true }),
    );
    const { maxlogit, energy, mahalanobis, knn, knnK, ...oldDetectors } = recorded.detectors;
    const old = { ...recorded, detectors: oldDetectors };
    const today = presetConfig('mnist-holdout', { quick: true });
    expect(configDifferences(today, old).map((d) => d.path)).toContain('learnCurvature');
    expect(configDifferences(today, withConfigDefaults(old))).toEqual([]);
    expect(withConfigDefaults({ not: 'a config' })).toEqual({ not: 'a config' });
    void [
      learnCurvature,
      poincareMode,
      poincareMargin,
      featureClipRadius,
      mlr,
      productMode,
      data,
      maxlogit,
      energy,
      mahalanobis,
      knn,
      knnK,
    ];
    expect(parseOodConfig(old)).toEqual(today);
  });
});
