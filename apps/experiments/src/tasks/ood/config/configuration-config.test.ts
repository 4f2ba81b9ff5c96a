import { describe, expect, test } from 'vitest';
import { TINY_MNIST_HOLDOUT } from '../test-support';
import { configurationConfig } from './configuration-config';
import { PAPER_CURVATURES, parseOodConfig } from './ood-config';

const base = {
  name: 'settings',
  ...TINY_MNIST_HOLDOUT,
  models: ['HiO', 'HiT'],
  embeddingDim: 8,
  epochs: 1,
  batchSize: 8,
};

describe('configurationConfig', () => {
  test("a configuration's settings replace the config's; curvatures merge per model", () => {
    const holdout = TINY_MNIST_HOLDOUT.configurations[0];
    const config = parseOodConfig({
      ...base,
      configurations: [
        holdout,
        {
          ...holdout,
          name: 'small',
          settings: { curvatures: { HiO: -1e-4 }, embeddingDim: 2, featureClipRadius: 1, learnCurvature: true },
        },
      ],
    });
    expect(configurationConfig(config, 'holdout')).toBe(config);
    const small = configurationConfig(config, 'small');
    expect(small.curvatures).toEqual({ ...PAPER_CURVATURES, HiO: -1e-4 });
    expect([small.embeddingDim, small.featureClipRadius, small.learnCurvature]).toEqual([2, 1, true]);
    expect([small.poincareMode, small.epochs, small.detectors]).toEqual([config.poincareMode, config.epochs, config.detectors]);
    expect(() => configurationConfig(config, 'nope')).toThrow(/no configuration 'nope' \(its configurations: holdout, small\)/);
  });

  test('settings are strict: an unknown or misspelt key is a config error naming it', () => {
    const holdout = TINY_MNIST_HOLDOUT.configurations[0];
    expect(() => parseOodConfig({ ...base, configurations: [{ ...holdout, settings: { epochs: 3 } }] })).toThrow(
      /configurations\.0\.settings/,
    );
  });
});
