import { Stereographic } from '@curvad/manifolds';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { DEFAULT_XI } from './ball-margin';
import { GeoLayersError } from './errors';
import {
  checkGradient,
  checkVariableGradient,
  expectClose,
  expectNoLeak,
  expmap0_64,
  norm,
  randomMatrix,
  scalarize,
  scale,
  toMatrix,
} from './test-support';
import { poincareEmbedding, ToPoincare } from './to-poincare';

/** Eq. 4 with the clip radius (1 - xi)/sqrt(c), in float64. */
function clip64(row: number[], c: number, xi: number): number[] {
  const radius = (1 - xi) / Math.sqrt(c);
  const n = norm(row);
  return n <= radius ? row : scale(row, radius / n);
}

describe('ToPoincare (Eq. 4)', () => {
  const rows = randomMatrix(8, 4, 3, 2); // norms from ~0.5 to ~3: some inside, some outside the ball

  it("'clip' keeps points inside the ball and clips the others to (1 - xi)/sqrt|k|", () => {
    for (const k of [-1, -0.25, -4]) {
      const out = tf.tidy(() => toMatrix(new ToPoincare({ k }).apply(tf.tensor2d(rows)) as tf.Tensor));
      expectClose(
        out,
        rows.map((r) => clip64(r, -k, DEFAULT_XI)),
        1e-6,
      );
    }
  });

  it("'expmap0' is the manifolds' expmap0 then the clip, and Guo's clipR clips the feature first", () => {
    const k = -0.5;
    const viaManifolds = tf.tidy(() => {
      const ball = new Stereographic(k);
      return toMatrix(ball.expmap0(tf.tensor2d(rows)));
    });
    const out = tf.tidy(() => toMatrix(new ToPoincare({ k, mode: 'expmap0' }).apply(tf.tensor2d(rows)) as tf.Tensor));
    expectClose(
      out,
      viaManifolds.map((r) => clip64(r, -k, DEFAULT_XI)),
      1e-5,
    );
    expectClose(
      out,
      rows.map((r) => clip64(expmap0_64(r, -k), -k, DEFAULT_XI)),
      1e-5,
    );
    const clipped = tf.tidy(() => toMatrix(new ToPoincare({ k, mode: 'expmap0', clipR: 1 }).apply(tf.tensor2d(rows)) as tf.Tensor));
    expectClose(
      clipped,
      rows.map((r) => clip64(expmap0_64(norm(r) > 1 ? scale(r, 1 / norm(r)) : r, -k), -k, DEFAULT_XI)),
      1e-5,
    );
  });

  test.prop([
    fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 3 }),
    fc.constantFrom(-0.001, -0.01, -1, -10),
    fc.constantFrom<'clip' | 'expmap0'>('clip', 'expmap0'),
  ])('outputs stay inside the ball (the manifolds check agrees)', (row, k, mode) => {
    tf.tidy(() => {
      const out = poincareEmbedding(tf.tensor2d([row]), k, { mode });
      const r = norm(Array.from(out.dataSync()));
      expect(r * Math.sqrt(-k)).toBeLessThanOrEqual(1 - DEFAULT_XI + 1e-6);
      expect(new Stereographic(k).checkPointOnManifold(out).ok).toBe(true);
    });
  });

  it('has finite gradients matching finite differences (x, learned k, both modes)', () => {
    const x = tf.tensor2d(randomMatrix(3, 3, 4, 1.5));
    for (const mode of ['clip', 'expmap0'] as const) {
      checkGradient((t) => scalarize(poincareEmbedding(t, -1, { mode })), x, { h: 1e-3 });
      checkGradient((k) => scalarize(poincareEmbedding(x, k as tf.Scalar, { mode })), tf.scalar(-0.7), { h: 1e-3 });
    }
    const g = tf.grad((t: tf.Tensor) => scalarize(poincareEmbedding(t, -1, { mode: 'expmap0' })))(tf.zeros([1, 3]));
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);

    const layer = new ToPoincare({ k: -0.7, mode: 'expmap0', learnCurvature: true });
    layer.apply(x);
    expect(layer.curvatureValue()).toBeCloseTo(-0.7, 5);
    checkVariableGradient(() => scalarize(layer.apply(x) as tf.Tensor), layer.trainableWeights[0]!.read() as tf.Variable, {
      h: 1e-3,
    });
  });

  it('round-trips its config', () => {
    const layer = new ToPoincare({ k: -0.01, xi: 1e-3, mode: 'expmap0', clipR: 2.3, learnCurvature: true, riemannianGradient: true });
    const config = layer.getConfig();
    expect(config).toMatchObject({ k: -0.01, xi: 1e-3, mode: 'expmap0', clipR: 2.3, learnCurvature: true, riemannianGradient: true });
    expect((tfl.layers.Layer.fromConfig(ToPoincare, config) as ToPoincare).getConfig()).toEqual(config);
  });

  it('rejects bad options with GeoLayersError', () => {
    for (const args of [
      { k: 1 },
      { k: 0 },
      { k: Number.POSITIVE_INFINITY },
      { k: -1, xi: 0 },
      { k: -1, xi: 1 },
      { k: -1, clipR: -2 },
      { k: -1, riemannianGradient: 'yes' as never },
    ]) {
      let error: unknown;
      try {
        new ToPoincare(args);
      } catch (e) {
        error = e;
      }
      expect(GeoLayersError.isInstance(error)).toBe(true);
    }
    expect(() => new ToPoincare({ k: 1 })).toThrow(/negative \(k < 0\)/);
    expect(() => new ToPoincare({ k: -1, mode: 'project' as 'clip' })).toThrow(/'clip' or 'expmap0'/);
    expect(() => new ToPoincare({ k: -1, riemannianGradient: 1 as never })).toThrow(/riemannianGradient must be true or false, got 1/);
    expect(() => new ToPoincare({ k: -1 }).apply(tf.zeros([3]))).toThrow(/rank 2/);
  });

  it('does not leak tensors', () => {
    const layer = new ToPoincare({ k: -1, mode: 'expmap0', learnCurvature: true });
    const x = tf.ones([4, 3]);
    expectNoLeak(() => (layer.apply(x) as tf.Tensor).dispose());
  });
});
