// The config reaches the heads: every head option a config sets arrives in the built layers, and the
// detectors a config switches on are the ones scored (issue 13: configs reach every library option).

import { geoHeadOf } from '@curvad/geo-layers';
import { initBackend } from '@curvad/runtime';
import { beforeAll, describe, expect, test } from 'vitest';
import { ELOC_MODEL_NAMES, MODEL_NAMES, MODEL_TABLE, type OodConfigInput, PAPER_MODEL_NAMES, parseOodConfig } from '../config/ood-config';
import { runDetectors, scoreMethods } from '../score/score-methods';
import { TINY_MNIST_HOLDOUT } from '../test-support';
import { buildOodModel } from './build-model';

const base: OodConfigInput = {
  name: 'build-model',
  ...TINY_MNIST_HOLDOUT,
  embeddingDim: 4,
  models: ['baseline', 'HiO', 'MiT'],
  optimizer: { name: 'adam', learningRate: 1e-3 },
  epochs: 1,
  batchSize: 8,
  trials: 1,
  limits: { train: 30, test: 30, ood: 30 },
  seed: 3,
};

/** The config (getConfig) of the model's layer of one class. */
function layerConfig(
  model: { layers: { getClassName(): string; getConfig(): Record<string, unknown> }[] },
  className: string,
): Record<string, unknown> {
  const layer = model.layers.find((l) => l.getClassName() === className);
  if (!layer) throw new Error(`no ${className} layer`);
  return layer.getConfig();
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: false });
});

describe('buildOodModel', () => {
  test('head options of the config arrive in the layers', () => {
    const config = parseOodConfig({
      ...base,
      poincareMode: 'expmap0',
      poincareMargin: 0.01,
      learnCurvature: true,
      mlr: { gio: 'ganea', git: 'ganea' },
    });
    const built = buildOodModel('HiO', config, [28, 28, 1], 3, 5);
    try {
      const toPoincare = layerConfig(built.model, 'CurvadToPoincare');
      expect(toPoincare).toMatchObject({ mode: 'expmap0', xi: 0.01, learnCurvature: true });
      expect(layerConfig(built.model, 'CurvadHypMLR')).toMatchObject({ parametrization: 'ganea' });
    } finally {
      built.model.dispose();
    }
  });

  test('the defaults build the heads as before the config fields existed', () => {
    const built = buildOodModel('HiO', parseOodConfig(base), [28, 28, 1], 3, 5);
    try {
      expect(layerConfig(built.model, 'CurvadToPoincare')).toMatchObject({ mode: 'clip', learnCurvature: false });
      expect(layerConfig(built.model, 'CurvadHypMLR')).toMatchObject({ parametrization: 'compact' });
    } finally {
      built.model.dispose();
    }
  });
});

describe('runDetectors', () => {
  test('maxlogit and energy are scored when the config switches them on, and only then', () => {
    expect(runDetectors(parseOodConfig(base))).not.toContain('maxlogit');
    const config = parseOodConfig({ ...base, detectors: { msp: true, odin: false, maxlogit: true, energy: true } });
    expect(runDetectors(config)).toEqual(expect.arrayContaining(['msp', 'maxlogit', 'energy', 'geometric']));
    expect(runDetectors(config)).not.toContain('odin');
    const built = buildOodModel('baseline', config, [28, 28, 1], 3, 5);
    try {
      expect(scoreMethods(built, config).map((m) => m.method)).toEqual(['MSP', 'MaxLogit', 'Energy']);
    } finally {
      built.model.dispose();
    }
  });
});

describe('the model table', () => {
  test('one record per model name: the names list, the head each builds and the curvature it starts from', () => {
    expect(MODEL_NAMES).toEqual(Object.keys(MODEL_TABLE));
    expect(MODEL_NAMES).toEqual(['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT', 'ELOC', 'ELOC+HiT']);
    expect(PAPER_MODEL_NAMES).toEqual(['baseline', 'SiO', 'HiO', 'MiO', 'SiT', 'HiT', 'MiT']);
    expect(ELOC_MODEL_NAMES).toEqual(['ELOC', 'ELOC+HiT']);
    const config = parseOodConfig({ ...base, curvatures: { SiO: 2, HiO: -0.5, MiO: [3, -0.25], SiT: 1.5, HiT: -2, MiT: [0.5, -4] } });
    // An ELOC model is an ensemble (model/eloc-models.ts), not one network.
    for (const name of ELOC_MODEL_NAMES) expect(() => buildOodModel(name, config, [28, 28, 1], 3, 5)).toThrow(/buildElocModels/);
    for (const name of PAPER_MODEL_NAMES) {
      const record = MODEL_TABLE[name];
      const built = buildOodModel(name, config, [28, 28, 1], 3, 5);
      try {
        if (record.kind === 'eloc') throw new Error(`${name} is not a paper model`);
        if (record.kind === 'baseline') {
          expect(built.spec).toBeNull();
          continue;
        }
        expect([built.spec!.kind, built.spec!.geometry]).toEqual([record.kind, record.geometry]);
        const k = config.curvatures[record.curvatureKey];
        const head = geoHeadOf(built.model);
        const [sphereK, ballK] = Array.isArray(k) ? k : record.geometry === 'sphere' ? [k, undefined] : [undefined, k];
        if (sphereK !== undefined) expect(head.curvature('sphere')).toBeCloseTo(sphereK, 6);
        if (ballK !== undefined) expect(head.curvature('poincare')).toBeCloseTo(ballK, 6);
      } finally {
        built.model.dispose();
      }
    }
  });
});
