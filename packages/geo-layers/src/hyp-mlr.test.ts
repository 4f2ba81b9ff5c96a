import { Stereographic } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { HypMLR, hypMlrLogits, mlrParameters } from './hyp-mlr';
import {
  checkGradient,
  checkVariableGradient,
  column,
  expectClose,
  expectNoLeak,
  expmap0_64,
  mlrLogit64,
  norm,
  randomMatrix,
  scalarize,
  scale,
  toMatrix,
  transpose,
} from './test-support';

describe('HypMLR (Eq. 8, Ganea et al. 2018)', () => {
  const c = 0.6;
  const x = randomMatrix(6, 4, 21, 0.5);
  const p = randomMatrix(3, 4, 22, 0.4);
  const a = randomMatrix(3, 4, 23);

  it('closed-form logits equal the formula with (-p_j) (+) x from the manifolds mobiusAdd, and a float64 reference', () => {
    const logits = tf.tidy(() => toMatrix(hypMlrLogits(tf.tensor2d(x), tf.tensor2d(p), tf.tensor2d(a), -c)));
    expectClose(
      logits,
      x.map((row) => p.map((pj, j) => mlrLogit64(row, pj, a[j]!, c))),
      1e-4,
    );
    const viaManifolds = tf.tidy(() => {
      const ball = new Stereographic(-c);
      const xt = tf.tensor2d(x);
      const columns = p.map((pj, j) => {
        const mx = ball.mobiusAdd(tf.neg(tf.tile(tf.tensor2d([pj]), [x.length, 1])), xt);
        const aj = tf.tensor2d([a[j]!]);
        const an = norm(a[j]!);
        const lambdaP = tf.squeeze(ball.lambda(tf.tensor2d([pj])));
        const inner = tf.sum(tf.mul(mx, aj), -1);
        const gap = tf.sub(1, tf.mul(c, tf.sum(tf.square(mx), -1)));
        return tf.mul(tf.mul(lambdaP, an / Math.sqrt(c)), tf.asinh(tf.div(tf.mul(2 * Math.sqrt(c), inner), tf.mul(gap, an))));
      });
      return toMatrix(tf.stack(columns, 1));
    });
    expectClose(logits, viaManifolds, 1e-4);
  });

  it("parameters: p_j = expmap0(P_j), a_j = A_j (1 - c ||p_j||^2); 'compact' puts P_j = r_j A_j / ||A_j||", () => {
    const aKernel = randomMatrix(4, 3, 24);
    const pKernel = randomMatrix(4, 3, 25, 0.5);
    const r = [0.3, -0.6, 0];
    tf.tidy(() => {
      const ganea = mlrParameters(tf.tensor2d(aKernel), tf.tensor2d(pKernel), 'ganea', -c);
      const pRef = transpose(pKernel).map((pj) => expmap0_64(pj, c));
      expectClose(toMatrix(ganea.p), pRef, 1e-5);
      expectClose(
        toMatrix(ganea.a),
        transpose(aKernel).map((aj, j) => scale(aj, 1 - c * norm(pRef[j]!) ** 2)),
        1e-5,
      );
      const compact = mlrParameters(tf.tensor2d(aKernel), tf.tensor1d(r), 'compact', -c);
      expectClose(
        toMatrix(compact.p),
        [0, 1, 2].map((j) => expmap0_64(scale(column(aKernel, j), r[j]! / norm(column(aKernel, j))), c)),
        1e-5,
      );
    });
  });

  it("weights: 'ganea' 2 dim C, 'compact' dim C + C (a dense layer's count)", () => {
    const ganea = new HypMLR({ classes: 5, k: -1 });
    const compact = new HypMLR({ classes: 5, k: -1, parametrization: 'compact' });
    const dense = tfl.layers.dense({ units: 5 });
    for (const layer of [ganea, compact, dense]) layer.apply(tf.zeros([1, 8]));
    expect(ganea.countParams()).toBe(2 * 8 * 5);
    expect(compact.countParams()).toBe(dense.countParams());
  });

  it('has finite gradients matching finite differences (x, p, a, k; layer weights incl. learned k)', () => {
    const xt = tf.tensor2d(x);
    const pt = tf.tensor2d(p);
    const at = tf.tensor2d(a);
    checkGradient((t) => scalarize(hypMlrLogits(t, pt, at, -c)), xt, { h: 1e-3 });
    checkGradient((t) => scalarize(hypMlrLogits(xt, t, at, -c)), pt, { h: 1e-3 });
    checkGradient((t) => scalarize(hypMlrLogits(xt, pt, t, -c)), at, { h: 1e-3 });
    checkGradient((k) => scalarize(hypMlrLogits(xt, pt, at, k as tf.Scalar)), tf.scalar(-c), { h: 1e-3 });
    for (const parametrization of ['ganea', 'compact'] as const) {
      const layer = new HypMLR({ classes: 3, k: -c, parametrization, learnCurvature: true, seed: 8 });
      layer.apply(xt);
      for (const v of layer.trainableWeights) {
        checkVariableGradient(() => scalarize(layer.apply(xt) as tf.Tensor), v.read() as tf.Variable, { h: 1e-3 });
      }
    }
  });

  it('stays finite for points at the ball margin and for inputs outside it (projected)', () => {
    const layer = new HypMLR({ classes: 3, k: -1, seed: 1 });
    tf.tidy(() => {
      const edge = tf.tensor2d([
        [0.996, 0],
        [0, -0.996],
        [5, 5],
        [0, 0],
      ]);
      const logits = layer.apply(edge) as tf.Tensor;
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      const g = tf.grad((t: tf.Tensor) => scalarize(layer.apply(t) as tf.Tensor))(edge);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });

  it('round-trips its config, rejects bad options, does not leak', () => {
    const layer = new HypMLR({ classes: 4, k: -0.01, parametrization: 'compact', learnCurvature: true, seed: 3 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ classes: 4, k: -0.01, parametrization: 'compact', learnCurvature: true, seed: 3 });
    expect((tfl.layers.Layer.fromConfig(HypMLR, config) as HypMLR).getConfig()).toEqual(config);
    expect(() => new HypMLR({ classes: 1, k: -1 })).toThrow(/classes must be an integer >= 2/);
    expect(() => new HypMLR({ classes: 3, k: 0.5 })).toThrow(GeoLayersError);
    expect(() => new HypMLR({ classes: 3, k: -1, parametrization: 'hnn' as 'ganea' })).toThrow(/parametrization/);
    const input = tf.fill([4, 5], 0.1);
    expectNoLeak(() => (layer.apply(input) as tf.Tensor).dispose());
    expectNoLeak(() => {
      const { p, a } = layer.classParameters();
      p.dispose();
      a.dispose();
    });
  });
});
