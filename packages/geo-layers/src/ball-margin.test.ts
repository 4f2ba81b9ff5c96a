// Issue 14, item 2: the released boundary margin 1e-3. Before, ToPoincare's 'expmap0' went through the
// manifolds' projected expmap0 (margin 4e-3) and HypMLR projected its input again, so xi: 1e-3 clipped
// at 1 - 4e-3 without a word. Now the margin asked for is the one used, down to MIN_XI, and below it
// the layer refuses with an error naming the floor.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_XI, MIN_XI } from './ball-margin';
import { GeoLayersError } from './errors';
import { buildGeoModel, gio, predictOutputs } from './heads';
import type { HypMLR } from './hyp-mlr';
import { ProductEmbedding } from './product-embedding';
import { type Matrix, mlrLogit64, norm, toMatrix } from './test-support';
import { poincareEmbedding, ToPoincare } from './to-poincare';

const RELEASED_XI = 1e-3;

/** Rows far beyond the ball (norms 1e3 to 1e6: every map sends them to the clip radius), in two directions. */
const farRows: Matrix = [1e3, 1e5, 1e6].flatMap((r) => [
  [r, 0, 0],
  [r / Math.sqrt(3), -r / Math.sqrt(3), r / Math.sqrt(3)],
]);

function geoError(run: () => unknown): GeoLayersError {
  try {
    run();
  } catch (error) {
    if (GeoLayersError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a GeoLayersError');
}

describe('ToPoincare boundary margin', () => {
  it.each([-1, -0.01, -4])("'expmap0' with the released xi = 1e-3 clips at 1 - 1e-3, finite at large ||x|| (k = %s)", (k) => {
    const out = tf.tidy(() => toMatrix(new ToPoincare({ k, mode: 'expmap0', xi: RELEASED_XI }).apply(tf.tensor2d(farRows)) as tf.Tensor));
    for (const row of out) {
      expect(row.every(Number.isFinite)).toBe(true);
      const scaled = Math.sqrt(-k) * norm(row);
      expect(scaled).toBeLessThan(1);
      // The margin asked for (1e-3), not the manifolds' 4e-3: float32 resolves 1 - 1e-3 to ~6e-8.
      expect(Math.abs(scaled - (1 - RELEASED_XI))).toBeLessThan(2e-6);
    }
  });

  it("'clip' and the functional form honour it too; the default stays DEFAULT_XI", () => {
    const k = -1;
    const clip = tf.tidy(() => toMatrix(poincareEmbedding(tf.tensor2d(farRows), k, { xi: RELEASED_XI })));
    const byDefault = tf.tidy(() => toMatrix(poincareEmbedding(tf.tensor2d(farRows), k, { mode: 'expmap0' })));
    for (const row of clip) expect(Math.abs(norm(row) - (1 - RELEASED_XI))).toBeLessThan(2e-6);
    for (const row of byDefault) expect(Math.abs(norm(row) - (1 - DEFAULT_XI))).toBeLessThan(2e-6);
  });

  it('gradients stay finite at the 1e-3 boundary', () => {
    const g = tf.tidy(() =>
      toMatrix(tf.grad((x: tf.Tensor) => tf.sum(poincareEmbedding(x, -1, { mode: 'expmap0', xi: RELEASED_XI })))(tf.tensor2d(farRows))),
    );
    expect(g.flat().every(Number.isFinite)).toBe(true);
  });

  it("a HiO head's classifier sees the 1e-3 point itself (HypMLR no longer re-projects to 4e-3)", () => {
    const k = -1;
    const input = tfl.input({ shape: [3] });
    const model = buildGeoModel(
      input,
      gio(input, { geometry: 'poincare', k, classes: 3, poincareMode: 'expmap0', xi: RELEASED_XI, mlr: 'ganea', seed: 2 }),
    );
    const [logits, embedding] = tf.tidy(() => predictOutputs(model, tf.tensor2d(farRows)).map(toMatrix));
    const mlr = model.getLayer('geo_logits_h') as HypMLR;
    const { p, a } = tf.tidy(() => {
      const params = mlr.classParameters();
      return { p: toMatrix(params.p), a: toMatrix(params.a) };
    });
    embedding!.forEach((point, i) => {
      expect(Math.abs(norm(point) - (1 - RELEASED_XI))).toBeLessThan(2e-6);
      const expected = p.map((pj, j) => mlrLogit64(point, pj, a[j]!, -k));
      // Relative 1e-3: the gap 1 - c ||(-p) (+) x||^2 is ~1e-3 here, so float32 keeps ~4 digits. At the
      // old 4e-3 re-projection the logits differ by far more (checked below).
      logits![i]!.forEach((value, j) => {
        expect(Math.abs(value - expected[j]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected[j]!)));
      });
    });
    const shrunk = embedding!.map((point) => point.map((v) => (v * (1 - DEFAULT_XI)) / (1 - RELEASED_XI)));
    const atOldMargin = shrunk.map((point) => p.map((pj, j) => mlrLogit64(point, pj, a[j]!, -k)));
    const worst = Math.max(...atOldMargin.flatMap((row, i) => row.map((v, j) => Math.abs(v - logits![i]![j]!))));
    expect(worst).toBeGreaterThan(1e-2);
  });

  it('refuses a margin below the float32 floor, naming it, in every place that takes xi', () => {
    const tooSmall = MIN_XI / 10;
    const pattern = new RegExp(`xi = ${tooSmall} is below the float32 floor MIN_XI = ${MIN_XI}.*Pass xi >= ${MIN_XI}`);
    expect(geoError(() => new ToPoincare({ k: -1, xi: tooSmall })).message).toMatch(/^ToPoincare: /);
    expect(geoError(() => new ToPoincare({ k: -1, xi: tooSmall })).message).toMatch(pattern);
    expect(geoError(() => new ProductEmbedding({ components: [{ geometry: 'poincare', k: -1 }], xi: tooSmall })).message).toMatch(pattern);
    expect(geoError(() => poincareEmbedding(tf.zeros([1, 3]), -1, { xi: tooSmall })).message).toMatch(pattern);
    expect(geoError(() => gio(tfl.input({ shape: [3] }), { geometry: 'poincare', k: -1, classes: 3, xi: tooSmall })).message).toMatch(
      pattern,
    );
    expect(geoError(() => new ToPoincare({ k: -1, xi: 0 })).message).toMatch(
      /xi \(the boundary margin\) must be a number in \[0.0001, 1\)/,
    );
    expect(new ToPoincare({ k: -1, xi: MIN_XI }).xi).toBe(MIN_XI);
  });
});
