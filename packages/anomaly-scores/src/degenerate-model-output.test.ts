// Issue 12, defect 9: scores that used to go silent. A model whose output (or input gradient) is
// NaN must not yield NaN scores, and a softmax score of a single class must not fail inside tfjs
// or return a constant: each throws an AnomalyScoreError that names the function, the row and
// what to do, as maxSoftmaxScore already did for NaN logits.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { divergenceScore } from './divergence-score';
import { energyScore } from './energy-score';
import { AnomalyScoreError } from './errors';
import { fitMahalanobis } from './mahalanobis';
import { maxSoftmaxScore } from './max-softmax-score';
import { mixedDivergenceScore } from './mixed-divergence-score';
import { mixedScore } from './mixed-score';
import { odinPerturb, odinScore } from './odin';
import { expectNoLeak } from './test-utils';

/** Runs fn inside a tidy (so a throw leaks nothing) and returns what it threw. */
function thrownBy(fn: () => unknown): unknown {
  let thrown: unknown;
  tf.tidy(() => {
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
  });
  return thrown;
}

function expectScoreError(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  const thrown = thrownBy(fn);
  expect(AnomalyScoreError.isInstance(thrown), `threw ${String(thrown)}`).toBe(true);
  expect((thrown as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

// Rows 0, 1 are fine; row 2 has a negative entry, so sqrt gives NaN in that row only.
const inputs = () =>
  tf.tensor2d([
    [1, 2],
    [4, 0.5],
    [-1, 3],
  ]);
const sqrtModel = (x: tf.Tensor) => tf.sqrt(x);
// Finite output x, NaN input gradient at x = 0 (0 times the infinite slope of sqrt at 0).
const nanGradientModel = (x: tf.Tensor) => tf.add(x, tf.mul(tf.sqrt(tf.abs(x)), 0));

describe('ODIN with a model that produces NaN', () => {
  it("throws for 'msp', naming the first bad row, instead of returning NaN", () => {
    const x = inputs();
    expectScoreError(() => odinScore(sqrtModel, x), /odinScore: the model output contains NaN .*first at row 2\). Check the model/);
    expectScoreError(() => odinScore(sqrtModel, x, { asTensor: true }), /first at row 2/);
    expectScoreError(() => odinPerturb(sqrtModel, x), /odinPerturb: the model output contains NaN/);
    x.dispose();
  });

  it('reports the row of the whole batch when scoring in chunks', () => {
    const x = inputs();
    expectScoreError(() => odinScore(sqrtModel, x, { batchSize: 2 }), /first at row 2/);
    expectScoreError(() => odinPerturb(sqrtModel, x, { batchSize: 2 }), /first at row 2/);
    x.dispose();
  });

  it("throws for the geometric variants (+SiO: 'spherical', +HiO: 'hyperbolic')", () => {
    const x = inputs();
    const smallSqrt = (v: tf.Tensor) => tf.mul(tf.sqrt(v), 0.1); // inside the unit ball where finite
    expectScoreError(() => odinScore(sqrtModel, x, { score: 'spherical' }), /model output contains NaN .*row 2/);
    expectScoreError(() => odinScore(smallSqrt, x, { score: 'hyperbolic', k: -1 }), /model output contains NaN .*row 2/);
    x.dispose();
  });

  it('throws when the output is finite but its input gradient is NaN', () => {
    const x = tf.tensor2d([
      [1, 2],
      [0, 3],
    ]);
    expectScoreError(
      () => odinScore(nanGradientModel, x, { temperature: 1 }),
      /input gradient of the model contains NaN values .*row 1.*not differentiable/,
    );
    x.dispose();
  });

  it('still scores a healthy model, and one whose input gradient is infinite (only its sign is used), without leaking', () => {
    // sqrt at 0 has slope +Infinity: sign() makes it a step of +epsilon, which is fine.
    const steep = (v: tf.Tensor) =>
      tf.tidy(() => {
        const first = tf.slice(v, [0, 0], [-1, 1]);
        return tf.concat([tf.sqrt(first), tf.zerosLike(first)], 1);
      });
    const x = tf.tensor2d([
      [0, 5],
      [4, 1],
    ]);
    const perturbed = odinPerturb(steep, x, { temperature: 1, epsilon: 0.01 });
    expect(Array.from(perturbed.dataSync())).toEqual([0.009999999776482582, 5, 4.010000228881836, 1]);
    perturbed.dispose();
    expect(Array.from(odinScore(steep, x, { temperature: 1, epsilon: 0.01 })).every(Number.isFinite)).toBe(true);
    expectNoLeak(() => odinScore(steep, x, { asTensor: true, batchSize: 1 }));
    expectNoLeak(() => odinPerturb(steep, x));
    x.dispose();
  });
});

describe('Mahalanobis input pre-processing with a feature function that produces NaN', () => {
  it('throws instead of returning NaN scores', () => {
    const detector = fitMahalanobis(
      tf.tensor2d([
        [1, 1],
        [2, 1],
        [1, 2],
        [5, 5],
        [6, 5],
        [5, 6],
      ]),
      [0, 0, 0, 1, 1, 1],
    );
    const x = inputs();
    expectScoreError(
      () => detector.perturbedScore(sqrtModel, x, { epsilon: 0.01 }),
      /perturbedScore: featureFunction output contains NaN .*first at row 2\). Check the feature extractor/,
    );
    const y = tf.tensor2d([
      [1, 2],
      [0, 3],
    ]);
    expectScoreError(() => detector.perturbedScore(nanGradientModel, y, { epsilon: 0.01 }), /input gradient .* NaN .*row 1/);
    for (const t of [x, y]) t.dispose();
    detector.dispose();
  });
});

describe('softmax scores of a single class', () => {
  const one = () => tf.tensor2d([[0.3], [2]]);
  it('MSP throws a clear error (it used to fail inside tf.oneHot)', () => {
    const l = one();
    expectScoreError(() => maxSoftmaxScore(l), /maxSoftmaxScore: logits has 1 column .*need >= 2 classes.*maxLogitScore/);
    l.dispose();
  });

  it("ODIN 'msp' and the Euclidean component of z_M throw the same way", () => {
    const x = one();
    expectScoreError(() => odinScore((v) => tf.mul(v, 2), x), /odinScore: the model output has 1 column .*need >= 2 classes/);
    expectScoreError(() => mixedScore([{ space: 'euclidean', logits: x }]), /components\[0\]\.logits has 1 column/);
    x.dispose();
  });

  it('z_EG and z_EM (KL of two one-column softmaxes is always 0) throw', () => {
    const [e, g] = [one(), one()];
    expectScoreError(() => divergenceScore(e, g), /divergenceScore: euclidean has 1 column .*needs >= 2 classes/);
    expectScoreError(() => divergenceScore(e, g, { input: 'embedding' }), /needs >= 2 dim/);
    expectScoreError(() => mixedDivergenceScore(e, [g]), /mixedDivergenceScore: euclidean has 1 column/);
    for (const t of [e, g]) t.dispose();
  });

  it('energy is defined for one class (it is -logit there) and stays allowed', () => {
    const l = one();
    expect(Array.from(energyScore(l))).toEqual([-0.30000001192092896, -2]);
    l.dispose();
  });
});
