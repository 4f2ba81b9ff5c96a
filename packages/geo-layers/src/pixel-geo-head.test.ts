// Issue 16: the released segmentation head per pixel (shared 3x3 conv beside the Euclidean
// classifier, AngleLinear and / or ToPoincare + HypMLR per pixel): shapes and released defaults, one
// curvature owner per space, gradients through the loss, save / load, clear errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import type { AngularLinear } from './angular-linear';
import { isCurvatureCarrier } from './curvature';
import { GeoLayersError } from './errors';
import { loadModel, saveModel } from './model-io';
import { type PixelGeoHeadOptions, pixelGeoHead, RELEASED_XI } from './pixel-geo-head';
import { pixelHeadLoss } from './pixel-loss';
import { checkGradient, expectNoLeak, randomMatrix } from './test-support';
import type { ToPoincare } from './to-poincare';

const H = 3;
const W = 3;
const CHANNELS = 4;
const CLASSES = 3;
const LABELS = [0, 1, 2, 2, 1, 0, 1, 255, 0];

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((d) => rm(d, { recursive: true, force: true })));
});

/** A model: feature map in, [euclidean, sphere?, poincare?] per-pixel logits out. */
function headModel(options: Omit<PixelGeoHeadOptions, 'classes'>) {
  const input = tfl.input({ shape: [H, W, CHANNELS] });
  const head = pixelGeoHead(input, { classes: CLASSES, seed: 3, ...options });
  const outputs = [head.logits.euclidean, head.logits.sphere, head.logits.poincare].filter((t): t is tfl.SymbolicTensor => t !== undefined);
  return { model: tfl.model({ inputs: input, outputs }), head };
}

const mapOf = (seed: number, batch = 2) => tf.tensor4d(randomMatrix(batch * H * W, CHANNELS, seed).flat(), [batch, H, W, CHANNELS]);

function lossOf(model: tfl.LayersModel, hasSphere: boolean, x: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const outputs = model.apply(x) as tf.Tensor[];
  const [euclidean, ...geometric] = outputs;
  const logits = { euclidean: euclidean!, sphere: hasSphere ? geometric.shift() : undefined, poincare: geometric.shift() };
  return pixelHeadLoss(logits, labels, { ignoreLabel: 255 });
}

describe('pixelGeoHead (the released segmentation head, per pixel)', () => {
  it('builds per-pixel logits and embeddings at the feature resolution, with the released defaults', () => {
    const { model, head } = headModel({ geometry: 'mixed', k: [1, -0.01], embeddingDim: 6 });
    expect(head.logits.euclidean.shape).toEqual([null, H, W, CLASSES]);
    expect(head.logits.sphere!.shape).toEqual([null, H, W, CLASSES]);
    expect(head.logits.poincare!.shape).toEqual([null, H, W, CLASSES]);
    expect(head.embeddings.poincare!.shape).toEqual([null, H, W, 6]);
    expect(head.shared.shape).toEqual([null, H, W, 6]);
    const shared = model.getLayer('pixel_geo_shared_conv').getConfig();
    expect(shared).toMatchObject({ kernelSize: [3, 3], padding: 'same', filters: 6 });
    expect(model.getLayer('pixel_geo_logits_e').getConfig()).toMatchObject({ kernelSize: [1, 1], filters: CLASSES });
    // Released composition: the sphereface classifier on the raw shared feature; ToPoincare expmap0, xi 1e-3.
    const sphere = model.getLayer('pixel_geo_logits_s') as AngularLinear;
    expect(sphere.variant).toBe('sphereface');
    expect(sphere.inboundNodes[0]!.inboundLayers[0]!.name).toBe('pixel_geo_shared_conv');
    const product = model.getLayer('pixel_geo_product_embedding').getConfig();
    expect(product).toMatchObject({ mode: 'duplicate', poincareMode: 'expmap0', xi: RELEASED_XI, riemannianGradient: true });
    const poincareOnly = headModel({ geometry: 'poincare', k: -0.01 });
    const ball = poincareOnly.model.getLayer('pixel_geo_to_poincare') as ToPoincare;
    expect([ball.mode, ball.xi, ball.riemannianGradient]).toEqual(['expmap0', RELEASED_XI, true]);
    expect(poincareOnly.head.logits.sphere).toBeUndefined();
  });

  it('keeps one curvature owner per space (learned k: one raw_k weight each, read by the classifier)', () => {
    const { model } = headModel({ geometry: 'mixed', k: [1, -0.5], sphereComposition: 'paper', learnCurvature: true });
    const rawK = model.trainableWeights.filter((w) => /raw_k/.test(w.name));
    expect(rawK).toHaveLength(2);
    const owner = model.getLayer('pixel_geo_product_embedding');
    for (const [classifier, component] of [
      ['pixel_geo_logits_s', 0],
      ['pixel_geo_logits_h', 1],
    ] as const) {
      const layer = model.getLayer(classifier);
      if (!isCurvatureCarrier(layer) || !isCurvatureCarrier(owner)) throw new Error('no curvature carrier');
      expect(layer.curvatureSlot()).toBe(owner.curvatureSlot(component));
    }
    const ballHead = headModel({ geometry: 'poincare', k: -0.5, learnCurvature: true }).model;
    expect(ballHead.trainableWeights.filter((w) => /raw_k/.test(w.name))).toHaveLength(1);
    const mlr = ballHead.getLayer('pixel_geo_logits_h');
    const toBall = ballHead.getLayer('pixel_geo_to_poincare');
    if (!isCurvatureCarrier(mlr) || !isCurvatureCarrier(toBall)) throw new Error('no curvature carrier');
    expect(mlr.curvatureSlot()).toBe(toBall.curvatureSlot());
  });

  it('the loss l_E + 0.1 l_S + 0.1 l_H has finite-difference gradients w.r.t. a tiny input map', () => {
    const { model } = headModel({ geometry: 'mixed', k: [1, -0.5], riemannianGradient: false });
    const labels = tf.tensor3d(LABELS, [1, H, W], 'int32');
    checkGradient((x) => lossOf(model, true, x, labels), mapOf(5, 1), { h: 5e-3 });
  });

  it('round-trips through saveModel / loadModel with identical per-pixel outputs and learned curvatures', async () => {
    const { model } = headModel({ geometry: 'mixed', k: [1, -0.5], sphereComposition: 'paper', learnCurvature: true });
    const x = mapOf(6);
    const labels = tf.tensor3d([...LABELS, ...LABELS], [2, H, W], 'int32');
    const optimizer = tf.train.sgd(0.5);
    for (let step = 0; step < 3; step++) optimizer.minimize(() => lossOf(model, true, x, labels));
    const dir = await mkdtemp(join(tmpdir(), 'curvad-pixel-head-'));
    folders.push(dir);
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const before = (model.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    const after = (loaded.predict(x) as tf.Tensor[]).map((t) => Array.from(t.dataSync()));
    expect(after).toEqual(before);
    const values = (m: tfl.LayersModel) =>
      (m.getLayer('pixel_geo_product_embedding') as unknown as { curvatureValues(): number[] }).curvatureValues();
    expect(values(loaded)).toEqual(values(model));
    expect(values(model)[1]).not.toBeCloseTo(-0.5, 4);
    const logits = loaded.getLayer('pixel_geo_logits_h');
    const owner = loaded.getLayer('pixel_geo_product_embedding');
    if (!isCurvatureCarrier(logits) || !isCurvatureCarrier(owner)) throw new Error('no curvature carrier');
    expect(logits.curvatureSlot()).toBe(owner.curvatureSlot(1));
  });

  it('does not leak tensors in a forward pass or a loss', () => {
    const { model } = headModel({ geometry: 'mixed', k: [1, -0.01] });
    const x = mapOf(7);
    const labels = tf.tensor3d([...LABELS, ...LABELS], [2, H, W], 'int32');
    expectNoLeak(() => tf.dispose(model.predict(x) as tf.Tensor[]));
    expectNoLeak(() => tf.tidy(() => lossOf(model, true, x, labels)).dispose());
  });

  it('rejects rows, rank-3 maps, unknown options and contradicting settings with GeoLayersError', () => {
    const expectError = (run: () => unknown, pattern: RegExp) => {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(GeoLayersError.isInstance(error), String(error)).toBe(true);
      expect(String(error)).toMatch(pattern);
    };
    const map = tfl.input({ shape: [H, W, CHANNELS] });
    expectError(
      () => pixelGeoHead(tfl.input({ shape: [CHANNELS] }), { geometry: 'sphere', k: 1, classes: 3 }),
      /feature map \[batch, h, w, channels\].*gio \/ git/,
    );
    expectError(
      () => pixelGeoHead(tfl.input({ shape: [W, CHANNELS] }), { geometry: 'sphere', k: 1, classes: 3 }),
      /rank 3 \(shape \[null, 3, 4\]\)/,
    );
    expectError(() => pixelGeoHead(map, { geometry: 'sphere', k: 1, classes: 3, kernel: 3 } as never), /kernel/);
    expectError(() => pixelGeoHead(map, { geometry: 'sphere', k: 1, classes: 3, embeddingDim: 0 }), /embeddingDim must be an integer >= 1/);
    expectError(() => pixelGeoHead(map, { geometry: 'sphere', k: 1, classes: 3, learnCurvature: true }), /sphereComposition: 'paper'/);
    expectError(() => pixelGeoHead(map, { geometry: 'poincare', k: 1, classes: 3 }), /negative \(k < 0\)/);
  });
});
