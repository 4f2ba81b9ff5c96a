import { buildGeoModel, type GeoHeadOptions, gio, git } from '@curvad/geo-layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, test } from 'vitest';
import { headOptions } from './head-options';
import { listPresets, presetConfig } from './presets';
import { resolveOodConfig } from './resolve-config';

const FEATURES = 8;
const CLASSES = 3;

/** A small model with the head, its layer configs and its outputs on fixed inputs. */
function headModel(kind: 'gio' | 'git', options: GeoHeadOptions) {
  const input = tfl.input({ shape: [FEATURES], name: 'features' });
  const built = kind === 'gio' ? gio(input, options) : git(input, options);
  const model = buildGeoModel(input, built, `test_${kind}`);
  const layers = model.layers.map((layer) => ({ className: layer.getClassName(), config: layer.getConfig() }));
  const outputs = tf.tidy(() => {
    const x = tf.randomNormal([4, FEATURES], 0, 3, 'float32', 5);
    const y = model.predict(x) as tf.Tensor[];
    return y.map((t) => Array.from(t.dataSync()));
  });
  model.dispose();
  return { layers, outputs };
}

describe('headOptions', () => {
  test("every preset's head options are geo-layers' defaults: spreading them into gio / git builds the same heads with the same outputs", () => {
    // fmnist-released sets the released heads on purpose (its own test checks them).
    for (const name of listPresets().filter((n) => n !== 'fmnist-released')) {
      expect(headOptions(presetConfig(name), 'gio')).toEqual({
        learnCurvature: false,
        xi: 4e-3,
        poincareMode: 'clip',
        clipR: null,
        riemannianGradient: false,
        sphereComposition: 'paper',
        sphereVariant: 'paper',
        scale: 1,
        mlr: 'compact',
        productMode: 'split',
      });
      expect(headOptions(presetConfig(name), 'git')).toMatchObject({ mlr: 'ganea', productMode: 'duplicate' });
    }
    const config = presetConfig('fmnist-mnist');
    for (const kind of ['gio', 'git'] as const) {
      const base: GeoHeadOptions = { geometry: 'mixed', k: [1, -0.01], classes: CLASSES, seed: 13 };
      const before = headModel(kind, base);
      const after = headModel(kind, { ...base, ...headOptions(config, kind) });
      expect(after.layers).toEqual(before.layers);
      expect(after.outputs).toEqual(before.outputs);
    }
  });

  test("sphereComposition 'released' reaches the head: the sphere classifier reads the raw feature", () => {
    const config = resolveOodConfig({ preset: 'fmnist-mnist', set: ['sphereComposition=released', 'sphereVariant=sphereface'] });
    expect(headOptions(config, 'gio')).toMatchObject({ sphereComposition: 'released' });
    const paper = headModel('gio', {
      geometry: 'sphere',
      k: 1,
      classes: CLASSES,
      seed: 13,
      ...headOptions(presetConfig('fmnist-mnist'), 'gio'),
    });
    const released = headModel('gio', { geometry: 'sphere', k: 1, classes: CLASSES, seed: 13, ...headOptions(config, 'gio') });
    expect(released.outputs[0]).not.toEqual(paper.outputs[0]);
  });

  test('each head field of a config reaches its head option', () => {
    const config = resolveOodConfig({
      preset: 'fmnist-mnist',
      set: [
        'learnCurvature=true',
        'poincareMargin=0.01',
        'poincareMode=expmap0',
        'featureClipRadius=2',
        'sphereVariant=sphereface',
        'sphereScale=4',
        'mlr.gio=ganea',
        'productMode.git=split',
        'riemannianGradient=true',
      ],
    });
    expect(headOptions(config, 'gio')).toEqual({
      learnCurvature: true,
      xi: 0.01,
      poincareMode: 'expmap0',
      clipR: 2,
      riemannianGradient: true,
      sphereComposition: 'paper',
      sphereVariant: 'sphereface',
      scale: 4,
      mlr: 'ganea',
      productMode: 'split',
    });
    expect(headOptions(config, 'git')).toMatchObject({ mlr: 'ganea', productMode: 'split' });
    const layers = headModel('gio', { geometry: 'mixed', k: [1, -0.01], classes: CLASSES, seed: 13, ...headOptions(config, 'gio') }).layers;
    expect(layers.find((l) => l.className === 'CurvadProductEmbedding')?.config).toMatchObject({
      mode: 'split',
      xi: 0.01,
      poincareMode: 'expmap0',
      clipR: 2,
      learnCurvature: true,
    });
  });
});
