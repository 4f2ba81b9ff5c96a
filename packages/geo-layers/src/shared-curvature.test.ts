// One owner per curvature (issue 13, item 2): in a head, the embedding layer and the classifier of a
// space share one CurvatureSlot (and, when learned, one raw_k weight), so a learned k cannot drift
// apart between ToPoincare and HypMLR, ToSphere and AngularLinear, or per component of a mixed head;
// the link survives save / load; the gradient of both layers' uses reaches the one variable; and the
// head reports its curvature per space.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AngularLinear } from './angular-linear';
import { isCurvatureCarrier } from './curvature';
import { GeoLayersError } from './errors';
import { fitGeoModel } from './fit-geo-model';
import type { HeadGeometry } from './head-spec';
import { buildGeoModel, type CurvedSpace, geoHeadOf, gio, git, predictOutputs } from './heads';
import { HypMLR } from './hyp-mlr';
import { loadModel, saveModel } from './model-io';
import { checkVariableGradient, randomMatrix } from './test-support';
import { ToPoincare } from './to-poincare';

const FEATURES = 6;
const CLASSES = 3;
const ROWS = 24;

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

/** [embedding layer name, component, classifier layer name] of each curved space of a head named 'geo'. */
const PAIRS: Record<HeadGeometry, [CurvedSpace, string, number | undefined, string][]> = {
  sphere: [['sphere', 'geo_to_sphere', undefined, 'geo_logits_s']],
  poincare: [['poincare', 'geo_to_poincare', undefined, 'geo_logits_h']],
  mixed: [
    ['sphere', 'geo_product_embedding', 0, 'geo_logits_s'],
    ['poincare', 'geo_product_embedding', 1, 'geo_logits_h'],
  ],
};
const K: Record<HeadGeometry, number | [number, number]> = { sphere: 1.5, poincare: -0.5, mixed: [1.5, -0.5] };

/** Curvature of `layer` (component `component`) of `model`, through the typed carrier interface. */
function curvatureOf(model: tfl.LayersModel, layer: string, component?: number): number {
  const carrier = model.getLayer(layer);
  if (!isCurvatureCarrier(carrier)) throw new Error(`${layer} carries no curvature`);
  return carrier.curvatureSlot(component).value();
}

function learnedHead(geometry: HeadGeometry, kind: 'gio' | 'git') {
  const input = tfl.input({ shape: [FEATURES] });
  const build = kind === 'gio' ? gio : git;
  const head = build(input, { geometry, k: K[geometry], classes: CLASSES, learnCurvature: true, seed: 3 });
  return { head, model: buildGeoModel(input, head) };
}

const data = () => ({
  x: tf.tensor2d(randomMatrix(ROWS, FEATURES, 21, 2)),
  y: tf.tensor1d(
    Array.from({ length: ROWS }, (_, i) => i % CLASSES),
    'int32',
  ),
});

describe.each(['sphere', 'poincare', 'mixed'] as const)('a learned-k %s head', (geometry) => {
  it.each(['gio', 'git'] as const)('%s: one raw_k per space, equal k in both layers after training and after save / load', async (kind) => {
    const { head, model } = learnedHead(geometry, kind);
    const rawKs = model.trainableWeights.filter((w) => w.name.includes('raw_k'));
    expect(rawKs).toHaveLength(PAIRS[geometry].length);
    const { x, y } = data();
    await fitGeoModel(model, x, y, { epochs: 3, batchSize: 8, learningRate: 0.05, seed: 1 });

    const initial = Array.isArray(K[geometry]) ? K[geometry] : [K[geometry]];
    for (const [i, [space, embedding, component, classifier]] of PAIRS[geometry].entries()) {
      const k = curvatureOf(model, embedding, component);
      expect(k).not.toBeCloseTo(initial[i]!, 3); // it did learn
      expect(curvatureOf(model, classifier)).toBe(k);
      expect(head.curvature(space)).toBe(k);
      expect(geoHeadOf(model).curvature(space)).toBe(k);
    }

    const dir = await mkdtemp(join(tmpdir(), 'curvad-shared-k-'));
    folders.push(dir);
    const loaded = await loadModel((await saveModel(model, join(dir, 'model'))).dir);
    expect(loaded.trainableWeights.filter((w) => w.name.includes('raw_k'))).toHaveLength(PAIRS[geometry].length);
    for (const [space, embedding, component, classifier] of PAIRS[geometry]) {
      const k = curvatureOf(model, embedding, component);
      expect(curvatureOf(loaded, embedding, component)).toBe(k);
      expect(curvatureOf(loaded, classifier)).toBe(k);
      expect(geoHeadOf(loaded).curvature(space)).toBe(k);
    }
    // Still one owner after loading: moving the loaded embedding's k moves its classifier's.
    const [space, embedding, component, classifier] = PAIRS[geometry][0]!;
    const raw = loaded.trainableWeights.find((w) => w.name.includes('raw_k'))!;
    const shifted = tf.tidy(() => tf.add(raw.read(), 0.25));
    raw.write(shifted);
    shifted.dispose();
    expect(curvatureOf(loaded, classifier)).toBe(curvatureOf(loaded, embedding, component));
    expect(geoHeadOf(loaded).curvature(space)).not.toBe(geoHeadOf(model).curvature(space));
    const before = predictOutputs(model, x).map((t) => Array.from(t.dataSync()));
    const after = predictOutputs(await loadModel(join(dir, 'model')), x).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    tf.dispose([x, y]);
  });

  it('the gradient of the loss reaches the one shared raw_k through both layers (finite differences)', () => {
    const { head, model } = learnedHead(geometry, 'gio');
    const { x, y } = data();
    for (const raw of model.trainableWeights.filter((w) => w.name.includes('raw_k'))) {
      checkVariableGradient(() => head.loss(model.apply(x) as tf.Tensor[], y), raw.read() as tf.Variable, { h: 1e-2, tol: 2e-2 });
    }
    tf.dispose([x, y]);
  });
});

describe('a training step of a learned-k head', () => {
  it('reads nothing back from the device (Stereographic over the learned k is built without dataSync)', () => {
    const input = tfl.input({ shape: [FEATURES] });
    const head = git(input, { geometry: 'mixed', k: [1, -0.5], classes: CLASSES, learnCurvature: true, poincareMode: 'expmap0', seed: 2 });
    const model = buildGeoModel(input, head);
    const { x, y } = data();
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = () => tf.tidy(() => tf.variableGrads(() => head.loss(model.apply(x) as tf.Tensor[], y), variables));
    tf.dispose(Object.values(step().grads)); // warm up (kernel registration, first-call paths)
    const readSync = vi.spyOn(tf.engine().backend, 'readSync');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const { value, grads } = step();
    expect(readSync).not.toHaveBeenCalled();
    expect(dataSync).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    tf.dispose([value, ...Object.values(grads), x, y]);
  });
});

describe('models saved before shareCurvature', () => {
  it('(one learned raw_k per layer) load as they were, each layer with its own k', async () => {
    const input = tfl.input({ shape: [FEATURES] });
    const ball = new ToPoincare({ k: -0.5, learnCurvature: true, name: 'ball' }).apply(input) as tfl.SymbolicTensor;
    const logits = new HypMLR({ classes: CLASSES, k: -0.5, learnCurvature: true, seed: 1, name: 'mlr' }).apply(ball) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: [logits, ball] });
    const rawKs = model.trainableWeights.filter((w) => w.name.includes('raw_k'));
    expect(rawKs).toHaveLength(2);
    const shifted = tf.tidy(() => tf.add(rawKs[1]!.read(), 0.3));
    rawKs[1]!.write(shifted);
    shifted.dispose();
    const dir = await mkdtemp(join(tmpdir(), 'curvad-own-k-'));
    folders.push(dir);
    const loaded = await loadModel((await saveModel(model, join(dir, 'model'))).dir);
    expect(curvatureOf(loaded, 'mlr')).toBe(curvatureOf(model, 'mlr'));
    expect(curvatureOf(loaded, 'mlr')).not.toBe(curvatureOf(loaded, 'ball'));
    const { x } = data();
    expect(predictOutputs(loaded, x).map((t) => Array.from(t.dataSync()))).toEqual(
      predictOutputs(model, x).map((t) => Array.from(t.dataSync())),
    );
    x.dispose();
  });
});

describe('shareCurvature', () => {
  it("the classifier uses the embedding layer's k: moving it moves the logits like a stand-alone layer with that k", () => {
    const input = tfl.input({ shape: [FEATURES] });
    const head = gio(input, { geometry: 'poincare', k: -0.5, classes: CLASSES, learnCurvature: true, seed: 5 });
    const model = buildGeoModel(input, head);
    const raw = model.trainableWeights.find((w) => w.name.includes('raw_k'))!;
    const shifted = tf.tidy(() => tf.sub(raw.read(), 0.5));
    raw.write(shifted);
    shifted.dispose();
    const k = head.curvature('poincare');
    expect(k).toBeGreaterThan(-0.5);
    // The same weights in layers of their own with the trained k as a fixed number.
    const mlr = model.getLayer('geo_logits_h') as HypMLR;
    const x = tf.tensor2d(randomMatrix(5, FEATURES, 4, 2));
    const alone = new HypMLR({ classes: CLASSES, k, parametrization: mlr.parametrization, seed: 5 });
    const ball = new ToPoincare({ k });
    const expected = tf.tidy(() => {
      alone.apply(ball.apply(x) as tf.Tensor); // builds the layer, so it has weights to set
      alone.setWeights(mlr.getWeights());
      return Array.from((alone.apply(ball.apply(x) as tf.Tensor) as tf.Tensor).dataSync());
    });
    const got = tf.tidy(() => Array.from(predictOutputs(model, x)[0]!.dataSync()));
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 4);
    });
    x.dispose();
  });

  it("explains a classifier that is not fed by a curved layer, or whose k differs from its owner's", () => {
    const input = tfl.input({ shape: [FEATURES] });
    const dense = tfl.layers.dense({ units: 4, name: 'plain' }).apply(input) as tfl.SymbolicTensor;
    const orphan = new AngularLinear({ units: CLASSES, k: 1, shareCurvature: true, name: 'orphan' });
    const model = tfl.model({ inputs: input, outputs: orphan.apply(dense) as tfl.SymbolicTensor });
    const x = tf.zeros([2, FEATURES]);
    expect(() => model.predict(x)).toThrow(GeoLayersError);
    expect(() => model.predict(x)).toThrow(/orphan.*comes from 'plain' \(Dense\)/);
    const ball = new ToPoincare({ k: -1, name: 'ball' }).apply(input) as tfl.SymbolicTensor;
    const mismatched = new HypMLR({ classes: CLASSES, k: -0.5, shareCurvature: true, name: 'mlr' });
    const second = tfl.model({ inputs: input, outputs: mismatched.apply(ball) as tfl.SymbolicTensor });
    expect(() => second.predict(x)).toThrow(/'mlr' \(k = -0\.5, learnCurvature false\) shares the curvature of 'ball'.*k = -1/);
    const standalone = new HypMLR({ classes: CLASSES, k: -1, shareCurvature: true, name: 'eager' });
    expect(() => standalone.apply(tf.zeros([2, FEATURES]))).toThrow(/applied 0 times/);
    x.dispose();
  });

  it('is written to the config only when on, and a head asked for a space it lacks says which it has', () => {
    expect(new HypMLR({ classes: 3, k: -1 }).getConfig()).not.toHaveProperty('shareCurvature');
    expect(new HypMLR({ classes: 3, k: -1, shareCurvature: true }).getConfig()).toMatchObject({ shareCurvature: true });
    const input = tfl.input({ shape: [FEATURES] });
    const head = gio(input, { geometry: 'sphere', k: 1, classes: CLASSES });
    expect(head.curvature('sphere')).toBe(1);
    expect(() => head.curvature('poincare')).toThrow(/sphere head has no poincare space \(its curved spaces: sphere\)/);
  });
});
