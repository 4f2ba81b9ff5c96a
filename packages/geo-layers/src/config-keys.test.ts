// Issue 12, defect 9: `ToSphere({ k: 1, kappa: 2 })` accepted an unknown option. Every layer and head
// factory now rejects unknown keys with a GeoLayersError listing the allowed ones, while the
// tfjs-layers base keys and what getConfig writes (and deserialization passes back) still work.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { AngularLinear } from './angular-linear';
import { attachGeoHeads } from './attach-geo-heads';
import { GeoLayersError } from './errors';
import { fitGeoModel } from './fit-geo-model';
import { buildGeoModel, gio, git } from './heads';
import { HypLinear } from './hyp-linear';
import { HypMLR } from './hyp-mlr';
import { ProductEmbedding } from './product-embedding';
import { ToPoincare } from './to-poincare';
import { ToSphere } from './to-sphere';

function geoError(run: () => unknown): GeoLayersError {
  try {
    run();
  } catch (error) {
    expect(GeoLayersError.isInstance(error), String(error)).toBe(true);
    return error as GeoLayersError;
  }
  throw new Error('expected a GeoLayersError, nothing was thrown');
}

const BASE = 'name, trainable, inputShape, batchInputShape, batchSize, dtype, weights, inputDType';

describe('layers reject unknown config keys', () => {
  it("ToSphere({ k: 1, kappa: 2 }) names 'kappa' and lists the allowed keys", () => {
    const before = tf.memory().numTensors;
    const message = geoError(() => new ToSphere({ k: 1, kappa: 2 } as never)).message;
    expect(message).toBe(
      `ToSphere: unknown option 'kappa'. Allowed options: k, learnCurvature, seed (and the tfjs-layers layer options ${BASE}).`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [
      'ToPoincare',
      () => new ToPoincare({ k: -1, clipr: 2 } as never),
      /^ToPoincare: unknown option 'clipr' \(did you mean 'clipR'\?\)\. Allowed options: k, learnCurvature, seed, xi, mode, clipR, riemannianGradient/,
    ],
    [
      'AngularLinear',
      () => new AngularLinear({ k: 1, units: 3, varient: 'paper' } as never),
      /^AngularLinear: unknown option 'varient' \(did you mean 'variant'\?\).*units, scale, variant/,
    ],
    [
      'HypLinear',
      () => new HypLinear({ k: -1, units: 3, use_bias: false } as never),
      /^HypLinear: unknown option 'use_bias' \(did you mean 'useBias'\?\)/,
    ],
    ['HypMLR', () => new HypMLR({ k: -1, classes: 3, units: 3 } as never), /^HypMLR: unknown option 'units'.*classes, parametrization/],
    [
      'ProductEmbedding',
      () => new ProductEmbedding({ components: [{ geometry: 'sphere', k: 1 }], curvature: 1 } as never),
      /^ProductEmbedding: unknown option 'curvature'.*components, mode, xi, poincareMode, clipR, learnCurvature, riemannianGradient/,
    ],
    [
      'a ProductEmbedding component',
      () => new ProductEmbedding({ components: [{ geometry: 'sphere', kappa: 1, k: 1 }] } as never),
      /^ProductEmbedding component 0: unknown option 'kappa'\. Allowed options: geometry, k, dim\.$/,
    ],
    [
      'the constructor (customObjects is for deserialization only)',
      () => new ToSphere({ k: 1, customObjects: {} } as never),
      /unknown option 'customObjects'/,
    ],
    ['a non-object config', () => new ToSphere('k=1' as never), /^ToSphere: options must be an object/],
  ])('%s', (_, run, message) => {
    expect(geoError(run).message).toMatch(message);
  });

  it("accept tfjs-layers' base layer keys", () => {
    const layer = new ToSphere({ k: 1, name: 'on_sphere', trainable: false, inputShape: [4], dtype: 'float32' });
    expect(layer.name).toBe('on_sphere');
    expect(layer.trainable).toBe(false);
  });
});

describe('getConfig / fromConfig round trips still work (as loadModel uses them)', () => {
  const layers = () => [
    new ToSphere({ k: 2, learnCurvature: true }),
    new ToPoincare({ k: -0.5, xi: 0.01, mode: 'expmap0', clipR: 2, riemannianGradient: true }),
    new AngularLinear({ k: 1, units: 3, scale: 4, variant: 'sphereface', seed: 1 }),
    new HypLinear({ k: -1, units: 3, useBias: false }),
    new HypMLR({ k: -1, classes: 3, parametrization: 'compact' }),
    new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1, dim: 2 },
        { geometry: 'poincare', k: -1, dim: 2 },
      ],
      mode: 'split',
      xi: 1e-3,
      riemannianGradient: true,
    }),
  ];

  it.each(layers().map((layer) => [layer.getClassName(), layer] as const))('%s', (_, layer) => {
    const input = tfl.input({ shape: [4] });
    layer.apply(input); // built layers write batchInputShape-free configs; the base keys they write are allowed
    const config = layer.getConfig();
    const cls = layer.constructor as unknown as tf.serialization.SerializableConstructor<tfl.layers.Layer> & {
      fromConfig: typeof tfl.layers.Layer.fromConfig;
    };
    // deserializeKerasObject adds customObjects to the config it passes to fromConfig.
    const rebuilt = cls.fromConfig(cls, { ...config, customObjects: {} });
    expect(rebuilt.getConfig()).toEqual(config);
  });
});

describe('head factories reject unknown option keys', () => {
  const FEATURES = 6;
  function userModel(): tfl.LayersModel {
    const input = tfl.input({ shape: [4] });
    const features = tfl.layers.dense({ units: FEATURES, name: 'features' }).apply(input) as tfl.SymbolicTensor;
    const logits = tfl.layers.dense({ units: 3, name: 'classifier' }).apply(features) as tfl.SymbolicTensor;
    return tfl.model({ inputs: input, outputs: logits });
  }
  const features = () => tfl.input({ shape: [FEATURES] });

  it('gio and git name the key and list the head options', () => {
    expect(geoError(() => gio(features(), { geometry: 'sphere', k: 1, classes: 3, kappa: 1 } as never)).message).toMatch(
      /^gio: unknown option 'kappa'\. Allowed options: geometry, k, classes, learnCurvature, xi, poincareMode, clipR, riemannianGradient, sphereComposition, sphereVariant, scale, mlr, productMode, seed, name\.$/,
    );
    expect(
      geoError(() => git(features(), { geometry: 'poincare', k: -1, classes: 3, euclidianClassifier: null } as never)).message,
    ).toMatch(/^git: unknown option 'euclidianClassifier' \(did you mean 'euclideanClassifier'\?\).*name, euclideanClassifier\.$/);
    expect(geoError(() => gio(features(), null as never)).message).toMatch(/^gio: options must be an object/);
  });

  it('attachGeoHeads checks its own keys and still passes the head options on', () => {
    const model = userModel();
    const options = { featureLayer: 'features', head: 'git', geometry: 'sphere', k: 1, classes: 3 } as const;
    expect(geoError(() => attachGeoHeads(model, { ...options, featurelayer: 'features' } as never)).message).toMatch(
      /^attachGeoHeads: unknown option 'featurelayer' \(did you mean 'featureLayer'\?\).*featureLayer, head, classifierLayer\.$/,
    );
    const attached = attachGeoHeads(model, { ...options, classifierLayer: 'classifier' });
    expect(attached.outputs).toHaveLength(3);
    expect(attachGeoHeads(model, { ...options, head: 'gio', name: 'other' }).outputs).toHaveLength(2);
  });

  it('fitGeoModel names a misspelt training option', async () => {
    const input = tfl.input({ shape: [FEATURES] });
    const model = buildGeoModel(input, gio(input, { geometry: 'sphere', k: 1, classes: 2 }));
    const [x, y] = [tf.ones([4, FEATURES]), tf.tensor1d([0, 1, 0, 1], 'int32')];
    await expect(fitGeoModel(model, x, y, { epoch: 2 } as never)).rejects.toThrow(
      /^fitGeoModel: unknown option 'epoch' \(did you mean 'epochs'\?\)\. Allowed options: epochs, batchSize/,
    );
    tf.dispose([x, y]);
  });
});
