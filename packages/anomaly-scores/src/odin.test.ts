import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';
import { maxSoftmaxScore } from './max-softmax-score';
import { odinPerturb, odinScore } from './odin';
import { expectClose, expectNoLeak, logSumExp64, norm64, poincareDist0_64 } from './test-utils';
import { gaussianClasses, type TinyModel, trainTinyModel } from './tiny-model.test-fixture';

let model: TinyModel;
beforeAll(() => {
  model = trainTinyModel();
});
afterAll(() => model.dispose());

const testX = gaussianClasses(4, 99).x; // 12 in-distribution points
const T = 1000;
const EPS = 1e-3;

/** Central-difference gradient in float64. */
function gradient64(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = [...x];
    const down = [...x];
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

const logMaxSoftmax64 = (l: number[]) => Math.max(...l) - logSumExp64(l);

/** The embedding model of the hyperbolic tests: expmap0 of half the hidden features on the ball k = -1. */
const toBall = (h: tf.Tensor) =>
  tf.tidy(() => {
    const u = tf.mul(h, 0.5);
    const n = tf.maximum(tf.norm(u, 'euclidean', 1, true), 1e-12);
    return tf.mul(tf.div(tf.tanh(n), n), u);
  });
const toBall64 = (h: number[]) => {
  const u = h.map((v) => 0.5 * v);
  const n = norm64(u);
  return u.map((v) => (Math.tanh(n) / n) * v);
};
describe('ODIN (Liang et al. 2018) on a small trained model', () => {
  it('the fixture model has learned the 2-D problem', () => {
    expect(model.accuracy).toBeGreaterThan(0.9);
  });

  it("'msp': x' = x + eps sign(grad log S_yhat(x; T)), checked against float64 finite differences", () => {
    const x = tf.tensor2d(testX);
    const perturbed = odinPerturb(model.logits, x, { temperature: T, epsilon: EPS });
    const got = perturbed.arraySync() as number[][];
    perturbed.dispose();
    testX.forEach((row, i) => {
      const g = gradient64((v) => logMaxSoftmax64(model.logits64(v).map((l) => l / T)), row);
      row.forEach((v, j) => {
        if (Math.abs(g[j]!) > 1e-7) expect(got[i]![j]).toBeCloseTo(v + EPS * Math.sign(g[j]!), 6);
      });
    });
    x.dispose();
  });

  it("'msp': the step raises the tempered top softmax of every input, so the anomaly score drops", () => {
    const x = tf.tensor2d(testX);
    const before = odinScore(model.logits, x, { temperature: T, epsilon: 0 });
    const after = odinScore(model.logits, x, { temperature: T, epsilon: 0.05 });
    x.dispose();
    testX.forEach((row, i) => {
      expect(after[i]).toBeLessThan(before[i]!);
      // float64 reference of the score at epsilon 0: 1 - max softmax(f(x) / T)
      const l = model.logits64(row).map((v) => v / T);
      expect(before[i]).toBeCloseTo(1 - Math.exp(logMaxSoftmax64(l)), 5);
    });
  });

  it('with epsilon = 0 and T = 1 it is exactly the MSP baseline', () => {
    const x = tf.tensor2d(testX);
    const logits = model.logits(x);
    expectClose(odinScore(model.logits, x, { temperature: 1, epsilon: 0 }), Array.from(maxSoftmaxScore(logits)), 1e-6, 1e-7);
    logits.dispose();
    x.dispose();
  });

  it("'hyperbolic' (ODIN +HiO): the step raises z_H, moving the embedding away from the origin", () => {
    const embed = (x: tf.Tensor) => toBall(model.hidden(x));
    const x = tf.tensor2d(testX);
    const z0 = odinScore(embed, x, { score: 'hyperbolic', k: -1, epsilon: 0, output: 'z' });
    const z1 = odinScore(embed, x, { score: 'hyperbolic', k: -1, epsilon: 0.05, output: 'z' });
    const as1 = odinScore(embed, x, { score: 'hyperbolic', k: -1, epsilon: 0.05 });
    const perturbed = odinPerturb(embed, x, { score: 'hyperbolic', k: -1, epsilon: EPS });
    const got = perturbed.arraySync() as number[][];
    for (const t of [x, perturbed]) t.dispose();
    testX.forEach((row, i) => {
      expect(z0[i]).toBeCloseTo(poincareDist0_64(toBall64(model.hidden64(row)), -1), 4);
      expect(z1[i]).toBeGreaterThan(z0[i]!);
      expect(as1[i]).toBeCloseTo(1 - Math.tanh(z1[i]!), 5);
      const g = gradient64((v) => poincareDist0_64(toBall64(model.hidden64(v)), -1), row);
      row.forEach((v, j) => {
        if (Math.abs(g[j]!) > 1e-6) expect(got[i]![j]).toBeCloseTo(v + EPS * Math.sign(g[j]!), 6);
      });
    });
  });

  it("'spherical': the step raises z_S, the top cosine logit", () => {
    const cosine = (x: tf.Tensor) =>
      tf.tidy(() => {
        const h = model.hidden(x);
        const unitH = tf.div(h, tf.norm(h, 'euclidean', 1, true));
        const unitW = tf.div(model.classWeights, tf.norm(model.classWeights, 'euclidean', 0, true));
        return tf.matMul(unitH as tf.Tensor2D, unitW);
      });
    const x = tf.tensor2d(testX);
    const before = odinScore(cosine, x, { score: 'spherical', epsilon: 0, output: 'z' });
    const after = odinScore(cosine, x, { score: 'spherical', epsilon: 0.02, output: 'z' });
    x.dispose();
    testX.forEach((_, i) => {
      expect(after[i]).toBeGreaterThan(before[i]!);
    });
  });

  it('batches, returns tensors and leaks nothing', () => {
    const x = tf.tensor2d(testX);
    const whole = odinScore(model.logits, x, { temperature: T, epsilon: EPS });
    expectClose(odinScore(model.logits, x, { temperature: T, epsilon: EPS, batchSize: 5 }), Array.from(whole), 1e-6, 1e-8);
    const p1 = odinPerturb(model.logits, x, { epsilon: EPS });
    const p2 = odinPerturb(model.logits, x, { epsilon: EPS, batchSize: 5 });
    expect(p2.arraySync()).toEqual(p1.arraySync());
    for (const t of [p1, p2]) t.dispose();
    expectNoLeak(() => odinScore(model.logits, x, { epsilon: EPS, batchSize: 5, asTensor: true }));
    expectNoLeak(() => odinPerturb(model.logits, x, { epsilon: EPS, batchSize: 5 }));
    x.dispose();
  });

  it('rejects bad options and bad models with AnomalyScoreError', () => {
    const x = tf.tensor2d(testX);
    const bad: [object, RegExp][] = [
      [{ temperature: 0 }, /temperature/],
      [{ epsilon: -1 }, /epsilon/],
      [{ score: 'energy' }, /score/],
      [{ score: 'hyperbolic' }, /k must be/],
      [{ score: 'hyperbolic', k: -1, temperature: 10 }, /temperature/],
      [{ k: -1 }, /hyperbolic/],
      [{ output: 'rank' }, /geometric/],
      [{ eps: 0.1 }, /unknown option/],
    ];
    for (const [options, message] of bad) expect(() => odinScore(model.logits, x, options as never)).toThrow(message);
    expect(() => odinScore(((v: tf.Tensor) => tf.sum(v)) as never, x)).toThrow(/\[batch, n\]/);
    expect(() => odinScore('model' as never, x)).toThrow(AnomalyScoreError);
    const outside = (v: tf.Tensor) => tf.mul(model.hidden(v), 10); // not a point of the ball
    expect(() => odinScore(outside, x, { score: 'hyperbolic', k: -1 })).toThrow(/outside the Poincare ball/);
    const empty = tf.zeros([0, 2]);
    expect(odinScore(model.logits, empty).length).toBe(0);
    const emptyOut = odinPerturb(model.logits, empty);
    expect(emptyOut.shape).toEqual([0, 2]);
    for (const t of [empty, emptyOut]) t.dispose();
    const nan = tf.tensor2d([[NaN, 1]]);
    expect(() => odinPerturb(model.logits, nan)).toThrow(/NaN/);
    // an op with no registered gradient (TopK) gets the same explanation as a missing registration
    expect(() => odinPerturb((v) => tf.topk(v, 2).values, x)).toThrow(/needs tfjs gradients/);
    for (const t of [x, nan]) t.dispose();
  });
});
