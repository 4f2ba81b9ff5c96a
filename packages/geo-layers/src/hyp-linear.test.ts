import { Stereographic } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { HypLinear, hypLinear } from './hyp-linear';
import {
  checkGradient,
  checkVariableGradient,
  expectClose,
  expectNoLeak,
  expmap0_64,
  mobiusAdd64,
  mobiusMatvec64,
  norm,
  randomMatrix,
  scalarize,
  toMatrix,
} from './test-support';

describe('HypLinear (Eq. 7)', () => {
  const c = 0.8;
  const x = randomMatrix(5, 4, 11, 0.25); // inside the ball of radius 1/sqrt(0.8)
  const w = randomMatrix(4, 3, 12);
  const b = [0.3, -0.2, 0.1];

  it('is mobiusMatvec then the Moebius bias expmap0(b), as the manifolds math and a float64 reference', () => {
    const out = tf.tidy(() => toMatrix(hypLinear(tf.tensor2d(x), tf.tensor2d(w), tf.tensor1d(b), -c)));
    const viaManifolds = tf.tidy(() => {
      const ball = new Stereographic(-c);
      const mapped = ball.mobiusMatvec(tf.tensor2d(x), tf.tensor2d(w));
      return toMatrix(ball.mobiusAdd(mapped, tf.tile(ball.expmap0(tf.tensor2d([b])), [5, 1])));
    });
    expectClose(out, viaManifolds, 1e-5);
    const bias = expmap0_64(b, c);
    expectClose(
      out,
      x.map((row) => mobiusAdd64(mobiusMatvec64(row, w, c), bias, c)),
      1e-4,
    );
    const noBias = tf.tidy(() => toMatrix(hypLinear(tf.tensor2d(x), tf.tensor2d(w), null, -c)));
    expectClose(
      noBias,
      x.map((row) => mobiusMatvec64(row, w, c)),
      1e-4,
    );
  });

  it('outputs stay inside the ball', () => {
    const layer = new HypLinear({ units: 6, k: -1, seed: 2 });
    tf.tidy(() => {
      const far = tf.mul(tf.tensor2d(randomMatrix(20, 4, 13)), 0.49); // |x| up to ~0.98
      const out = layer.apply(far) as tf.Tensor;
      expect(new Stereographic(-1).checkPointOnManifold(out).ok).toBe(true);
      for (const row of toMatrix(out)) expect(norm(row)).toBeLessThan(1);
    });
  });

  it('has finite gradients matching finite differences (x, kernel, bias, learned k)', () => {
    const xt = tf.tensor2d(x);
    const wt = tf.tensor2d(w);
    const bt = tf.tensor1d(b);
    checkGradient((t) => scalarize(hypLinear(t, wt, bt, -c)), xt, { h: 1e-3 });
    checkGradient((t) => scalarize(hypLinear(xt, t, bt, -c)), wt, { h: 1e-3 });
    checkGradient((t) => scalarize(hypLinear(xt, wt, t, -c)), bt, { h: 1e-3 });
    checkGradient((k) => scalarize(hypLinear(xt, wt, bt, k as tf.Scalar)), tf.scalar(-c), { h: 1e-3 });
    const layer = new HypLinear({ units: 3, k: -c, learnCurvature: true, seed: 4 });
    layer.apply(xt);
    expect(layer.trainableWeights.map((v) => v.name.split('/').pop())).toEqual(['kernel', 'bias', 'raw_k']);
    for (const v of layer.trainableWeights) {
      checkVariableGradient(() => scalarize(layer.apply(xt) as tf.Tensor), v.read() as tf.Variable, { h: 1e-3 });
    }
  });

  it('round-trips its config, rejects bad options, does not leak', () => {
    const layer = new HypLinear({ units: 3, k: -0.1, useBias: false, learnCurvature: true, seed: 5 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ units: 3, k: -0.1, useBias: false, learnCurvature: true, seed: 5 });
    expect((tfl.layers.Layer.fromConfig(HypLinear, config) as HypLinear).getConfig()).toEqual(config);
    expect(() => new HypLinear({ units: 3, k: 1 })).toThrow(GeoLayersError);
    expect(() => new HypLinear({ units: 0, k: -1 })).toThrow(/units/);
    const input = tf.fill([4, 5], 0.1);
    expectNoLeak(() => (layer.apply(input) as tf.Tensor).dispose());
  });
});
