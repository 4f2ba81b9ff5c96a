import { cosineLogits, Sphere } from '@curvad/manifolds';
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { AngularLinear, angularLogits } from './angular-linear';
import { GeoLayersError } from './errors';
import {
  checkGradient,
  checkVariableGradient,
  column,
  dot,
  expectClose,
  expectNoLeak,
  norm,
  randomMatrix,
  scalarize,
  toMatrix,
} from './test-support';

describe('AngularLinear (Eq. 3, 9)', () => {
  const x = randomMatrix(5, 4, 5, 2);
  const w = randomMatrix(4, 3, 6);
  const cosine = (row: number[], j: number) => dot(row, column(w, j)) / (norm(row) * norm(column(w, j)));

  it("'paper': logits <x, w_j> with x and w_j on S_k, i.e. cos(theta_j) / k (times scale), as the manifolds' cosineLogits", () => {
    for (const k of [1, 0.5, 3]) {
      const out = tf.tidy(() => toMatrix(angularLogits(tf.tensor2d(x), tf.tensor2d(w), k, 'paper', 2.5)));
      expectClose(
        out,
        x.map((row) => [0, 1, 2].map((j) => (2.5 * cosine(row, j)) / k)),
        1e-5,
      );
      const viaManifolds = tf.tidy(() => toMatrix(cosineLogits(new Sphere(k), tf.tensor2d(x), tf.tensor2d(w), { scale: 2.5 })));
      expectClose(out, viaManifolds, 1e-5);
    }
  });

  it("'sphereface': logits sqrt(k) ||x|| cos(theta_j) (feature norm kept)", () => {
    const k = 0.5;
    const out = tf.tidy(() => toMatrix(angularLogits(tf.tensor2d(x), tf.tensor2d(w), k, 'sphereface')));
    expectClose(
      out,
      x.map((row) => [0, 1, 2].map((j) => Math.sqrt(k) * norm(row) * cosine(row, j))),
      1e-5,
    );
  });

  test.prop([fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 }), fc.constantFrom(0.25, 1, 4)])(
    'paper logits lie in [-1/k, 1/k]; prototypes lie on S_k',
    (row, k) => {
      const layer = new AngularLinear({ units: 3, k, seed: 3 });
      tf.tidy(() => {
        const logits = Array.from((layer.apply(tf.tensor2d([row])) as tf.Tensor).dataSync());
        for (const l of logits) expect(Math.abs(l)).toBeLessThanOrEqual(1 / k + 1e-5);
        for (const p of toMatrix(layer.prototypes())) expect(Math.abs(norm(p) * Math.sqrt(k) - 1)).toBeLessThan(1e-5);
      });
    },
  );

  it('has finite gradients matching finite differences (x, kernel, learned k)', () => {
    const xt = tf.tensor2d(x);
    const wt = tf.tensor2d(w);
    for (const variant of ['paper', 'sphereface'] as const) {
      checkGradient((t) => scalarize(angularLogits(t, wt, 2, variant)), xt);
      checkGradient((t) => scalarize(angularLogits(xt, t, 2, variant)), wt);
      checkGradient((k) => scalarize(angularLogits(xt, wt, k as tf.Scalar, variant)), tf.scalar(2));
    }
    const layer = new AngularLinear({ units: 3, k: 2, learnCurvature: true, seed: 1 });
    layer.apply(xt);
    expect(layer.trainableWeights.map((v) => v.name.split('/').pop())).toEqual(['kernel', 'raw_k']);
    for (const v of layer.trainableWeights) {
      checkVariableGradient(() => scalarize(layer.apply(xt) as tf.Tensor), v.read() as tf.Variable);
    }
  });

  it('is bias-free: dim * units weights', () => {
    const layer = new AngularLinear({ units: 7, k: 1 });
    layer.apply(tf.zeros([1, 5]));
    expect(layer.countParams()).toBe(35);
  });

  it('round-trips its config', () => {
    const layer = new AngularLinear({ units: 4, k: 2, scale: 16, variant: 'sphereface', learnCurvature: true, seed: 9 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ units: 4, k: 2, scale: 16, variant: 'sphereface', learnCurvature: true, seed: 9 });
    expect((tfl.layers.Layer.fromConfig(AngularLinear, config) as AngularLinear).getConfig()).toEqual(config);
  });

  it('rejects bad options with GeoLayersError', () => {
    const attempts = [
      () => new AngularLinear({ units: 1, k: 1 }),
      () => new AngularLinear({ units: 3, k: -1 }),
      () => new AngularLinear({ units: 3, k: 1, scale: 0 }),
      () => new AngularLinear({ units: 3, k: 1, variant: 'cosface' as 'paper' }),
      () => new AngularLinear({ units: 3, k: 1 }).apply(tf.zeros([2, 2, 2])),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(GeoLayersError.isInstance(error)).toBe(true);
    }
    expect(() => new AngularLinear({ units: 1, k: 1 })).toThrow(/>= 2/);
  });

  it('does not leak tensors', () => {
    const layer = new AngularLinear({ units: 3, k: 1, learnCurvature: true });
    const input = tf.ones([4, 5]);
    expectNoLeak(() => (layer.apply(input) as tf.Tensor).dispose());
    expectNoLeak(() => layer.prototypes().dispose());
  });
});
