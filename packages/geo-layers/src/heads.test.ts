import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { attachGeoHeads } from './attach-geo-heads';
import { softmaxCrossEntropy } from './cross-entropy';
import { GeoLayersError } from './errors';
import { readGeoHeadSpec } from './head-spec';
import { buildGeoModel, geoHeadOf, gio, git, predictOutputs } from './heads';
import { expectClose, expectNoLeak, randomMatrix, toMatrix } from './test-support';

const FEATURES = 6;
const CLASSES = 3;

/** A user's pretrained-looking model: input 4 -> hidden 8 -> features 6 -> softmax classifier 3. */
function userModel(seed = 1): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  const hidden = tfl.layers
    .dense({ units: 8, activation: 'relu', name: 'hidden', kernelInitializer: tfl.initializers.glorotUniform({ seed }) })
    .apply(input) as tfl.SymbolicTensor;
  const features = tfl.layers
    .dense({ units: FEATURES, name: 'features', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) })
    .apply(hidden) as tfl.SymbolicTensor;
  const probabilities = tfl.layers
    .dense({
      units: CLASSES,
      activation: 'softmax',
      name: 'classifier',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }),
      biasInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + 3 }),
    })
    .apply(features) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: probabilities, name: 'user' });
}

const baseParams = 4 * 8 + 8 + 8 * FEATURES + FEATURES; // feature extractor
const denseClassifierParams = FEATURES * CLASSES + CLASSES;

describe('GiO / GiT heads (Sec. IV, Table I)', () => {
  it('GiO adds no parameters over the Euclidean classifier it replaces', () => {
    const user = userModel();
    expect(user.countParams()).toBe(baseParams + denseClassifierParams);
    const sphere = attachGeoHeads(user, { featureLayer: 'features', head: 'gio', geometry: 'sphere', k: 1, classes: CLASSES });
    const ball = attachGeoHeads(user, { featureLayer: 'features', head: 'gio', geometry: 'poincare', k: -0.01, classes: CLASSES });
    const mixed = attachGeoHeads(user, { featureLayer: 'features', head: 'gio', geometry: 'mixed', k: [1, -0.01], classes: CLASSES });
    expect(sphere.countParams()).toBe(baseParams + FEATURES * CLASSES); // bias-free angular classifier
    expect(ball.countParams()).toBe(baseParams + denseClassifierParams); // compact MLR: dim C + C
    expect(mixed.countParams()).toBe(baseParams + denseClassifierParams); // split: (dim/2) C + (dim/2) C + C
    for (const m of [sphere, ball, mixed]) expect(m.countParams()).toBeLessThanOrEqual(user.countParams());
    // The released code's MLR (free offsets) is available and doubles the classifier weights.
    const ganea = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'gio',
      geometry: 'poincare',
      k: -1,
      classes: CLASSES,
      mlr: 'ganea',
    });
    expect(ganea.countParams()).toBe(baseParams + 2 * FEATURES * CLASSES);
  });

  it('GiT adds only its geometric branch', () => {
    const user = userModel();
    const branch = { sphere: FEATURES * CLASSES, poincare: 2 * FEATURES * CLASSES };
    const s = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'git',
      geometry: 'sphere',
      k: 1,
      classes: CLASSES,
      classifierLayer: 'classifier',
    });
    const h = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'git',
      geometry: 'poincare',
      k: -1,
      classes: CLASSES,
      classifierLayer: 'classifier',
    });
    const m = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'git',
      geometry: 'mixed',
      k: [1, -1],
      classes: CLASSES,
      classifierLayer: 'classifier',
    });
    expect(s.countParams()).toBe(user.countParams() + branch.sphere);
    expect(h.countParams()).toBe(user.countParams() + branch.poincare);
    expect(m.countParams()).toBe(user.countParams() + branch.sphere + branch.poincare); // duplicated feature
  });

  it("keeps the user's pretrained weights: shared feature layers, and GiT's Euclidean logits reproduce the user's classifier", () => {
    const user = userModel(5);
    const model = attachGeoHeads(user, {
      featureLayer: 'features',
      head: 'git',
      geometry: 'poincare',
      k: -1,
      classes: CLASSES,
      classifierLayer: 'classifier',
    });
    expect(model.getLayer('features')).toBe(user.getLayer('features'));
    expect(model.getLayer('hidden')).toBe(user.getLayer('hidden'));
    tf.tidy(() => {
      const x = tf.tensor2d(randomMatrix(7, 4, 3, 2));
      const outputs = predictOutputs(model, x);
      const spec = readGeoHeadSpec(model);
      expect(spec.outputs.map((o) => `${o.role}:${o.space}`)).toEqual(['logits:euclidean', 'logits:poincare', 'embedding:poincare']);
      expectClose(toMatrix(tf.softmax(outputs[0]!)), toMatrix(user.predict(x) as tf.Tensor), 1e-5);
      expect(outputs[1]!.shape).toEqual([7, CLASSES]);
      expect(outputs[2]!.shape).toEqual([7, FEATURES]);
    });
  });

  it('returns the head outputs, the summed loss (l_E + l_G for GiT) and the fitting scores', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const head = git(input, { geometry: 'mixed', k: [1, -1], classes: CLASSES, seed: 3, name: 'mit' });
    expect(head.spec.kind).toBe('git');
    expect(head.spec.outputs.map((o) => `${o.role}:${o.space}`)).toEqual([
      'logits:euclidean',
      'logits:sphere',
      'logits:poincare',
      'embedding:sphere',
      'embedding:poincare',
    ]);
    expect(head.spec.scores).toEqual(['msp', 'zEM']);
    expect(gio(tfl.input({ shape: [FEATURES] }), { geometry: 'sphere', k: 1, classes: CLASSES }).spec.scores).toEqual(['zS']);
    expect(gio(tfl.input({ shape: [FEATURES] }), { geometry: 'poincare', k: -1, classes: CLASSES }).spec.scores).toEqual(['zH']);
    expect(gio(tfl.input({ shape: [FEATURES] }), { geometry: 'mixed', k: [1, -1], classes: CLASSES }).spec.scores).toEqual(['zM']);
    const model = buildGeoModel(input, head);
    tf.tidy(() => {
      const x = tf.tensor2d(randomMatrix(5, FEATURES, 4, 2));
      const y = tf.tensor1d([0, 1, 2, 1, 0], 'int32');
      const outputs = predictOutputs(model, x);
      const expected = [0, 1, 2].map((i) => softmaxCrossEntropy(outputs[i]!, y).dataSync()[0]!).reduce((a, b) => a + b);
      expect(head.loss(outputs, y).dataSync()[0]).toBeCloseTo(expected, 5);
      expect(geoHeadOf(model).loss(outputs, y).dataSync()[0]).toBeCloseTo(expected, 5);
    });
  });

  it('rejects bad heads with GeoLayersError: feature rank, curvature sign, classes, names', () => {
    const user = userModel();
    const image = tfl.input({ shape: [4, 4, 2] });
    const attempts: (() => unknown)[] = [
      () => gio(image, { geometry: 'sphere', k: 1, classes: 3 }),
      () => gio(tf.zeros([2, 6]) as unknown as tfl.SymbolicTensor, { geometry: 'sphere', k: 1, classes: 3 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'sphere', k: -1, classes: 3 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'poincare', k: 1, classes: 3 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'poincare', k: -1, classes: 1 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'mixed', k: -1, classes: 3 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'mixed', k: [-1, 1], classes: 3 }),
      () => gio(tfl.input({ shape: [6] }), { geometry: 'poincare', k: Number.NaN, classes: 3 }),
      () => git(tfl.input({ shape: [6] }), { geometry: 'hyperbolic' as 'poincare', k: -1, classes: 3 }),
      () => attachGeoHeads(user, { featureLayer: 'nope', head: 'gio', geometry: 'sphere', k: 1, classes: 3 }),
      () =>
        attachGeoHeads(user, {
          featureLayer: 'features',
          head: 'git',
          geometry: 'sphere',
          k: 1,
          classes: 4,
          classifierLayer: 'classifier',
        }),
      () =>
        attachGeoHeads(user, { featureLayer: 'features', head: 'git', geometry: 'sphere', k: 1, classes: 3, classifierLayer: 'hidden' }),
      () =>
        attachGeoHeads(user, {
          featureLayer: 'features',
          head: 'gio',
          geometry: 'sphere',
          k: 1,
          classes: 3,
          classifierLayer: 'classifier',
        }),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(GeoLayersError.isInstance(error), String(error)).toBe(true);
    }
    expect(() => gio(image, { geometry: 'sphere', k: 1, classes: 3 })).toThrow(/rank 2/);
    expect(() => attachGeoHeads(user, { featureLayer: 'nope', head: 'gio', geometry: 'sphere', k: 1, classes: 3 })).toThrow(
      /layers are: .*features/,
    );
    const once = attachGeoHeads(user, { featureLayer: 'features', head: 'gio', geometry: 'sphere', k: 1, classes: 3 });
    expect(() => attachGeoHeads(once, { featureLayer: 'features', head: 'gio', geometry: 'sphere', k: 1, classes: 3 })).toThrow(
      /another name prefix/,
    );
    expect(() => geoHeadOf(user)).toThrow(/no geo-head description/);
  });

  it('predicting does not leak', () => {
    const model = attachGeoHeads(userModel(), { featureLayer: 'features', head: 'git', geometry: 'mixed', k: [1, -1], classes: 3 });
    const x = tf.ones([4, 4]);
    expectNoLeak(() => {
      for (const t of predictOutputs(model, x)) t.dispose();
    });
  });
});
