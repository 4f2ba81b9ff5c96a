import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectorModel } from './detector';
import { getDetector } from './detector-registry';
import { elocPerturb } from './eloc-detector';
import { elocScore } from './eloc-score';
import { odinPerturb } from './odin';
import { expectClose, expectNoLeak, softmax64 } from './test-utils';
import { gaussianClasses, type TinyModel, trainTinyModel } from './tiny-model.test-fixture';

const T = 1000;
const EPS = 1e-3;
/** The second leave-out classifier of the test model: half the first one's logits. */
const SECOND_SCALE = 0.5;

let tiny: TinyModel;
let model: DetectorModel;
const testX = gaussianClasses(3, 5).x; // 9 in-distribution points
let x: tf.Tensor2D;

const apply = (input: tf.Tensor) => {
  const logits = tiny.logits(input);
  return [logits, tf.mul(logits, SECOND_SCALE), tiny.hidden(input)];
};

beforeAll(() => {
  tiny = trainTinyModel();
  model = {
    outputs: [
      { index: 0, role: 'logits', space: 'euclidean' },
      { index: 1, role: 'logits', space: 'euclidean' },
      { index: 2, role: 'features', space: 'euclidean' },
    ],
    apply,
  };
  x = tf.tensor2d(testX);
});
afterAll(() => {
  x.dispose();
  tiny.dispose();
});

function confidence64(row: readonly number[], temperature: number): number {
  const p = softmax64(row.map((v) => v / temperature));
  return Math.max(...p) + p.reduce((s, q) => s + q * Math.log(q), 0);
}
/** S(x) of the two-classifier test model in float64. */
function eloc64(input: readonly number[]): number {
  const l = tiny.logits64(input);
  return (
    confidence64(l, T) +
    confidence64(
      l.map((v) => v * SECOND_SCALE),
      T,
    )
  );
}
function gradient64(f: (v: number[]) => number, at: readonly number[], h = 1e-6): number[] {
  return at.map((_, i) => {
    const up = [...at];
    const down = [...at];
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}
const OFFSET = 2 * (1 / 3 - Math.log(3));

describe("detector 'eloc' (Vyas et al. 2018): ELOC score on ODIN-perturbed input", () => {
  it('steps x + eps sign(grad S(x)) (float64 finite differences), which raises the ELOC confidence of ID inputs', () => {
    const heads = model.outputs.slice(0, 2);
    const perturbed = tf.tidy(() => elocPerturb(apply, heads, x, T, EPS, 'test'));
    const got = perturbed.arraySync() as number[][];
    perturbed.dispose();
    testX.forEach((row, i) => {
      const g = gradient64(eloc64, row);
      const want = row.map((v, j) => v + EPS * Math.sign(g[j]!));
      row.forEach((_, j) => {
        if (Math.abs(g[j]!) > 1e-7) expect(got[i]![j]).toBeCloseTo(want[j]!, 6);
      });
      expect(eloc64(want)).toBeGreaterThan(eloc64(row));
    });
  });

  it("scores -S(x') (output rank: without the constant), as float64 on the stepped input", () => {
    const want = testX.map((row) => {
      const g = gradient64(eloc64, row);
      return -(eloc64(row.map((v, j) => v + EPS * Math.sign(g[j]!))) - OFFSET);
    });
    expectClose(getDetector('eloc', { epsilon: EPS, output: 'rank' }).score(model, { x }), want, 1e-3, 1e-9);
    // The default output is the negated sum itself, the same as elocScore on the stepped logits.
    const stepped = tf.tidy(() => apply(elocPerturb(apply, model.outputs.slice(0, 2), x, T, EPS, 'test')).slice(0, 2));
    expect(Array.from(getDetector('eloc', { epsilon: EPS }).score(model, { x }))).toEqual(Array.from(elocScore(stepped)));
    tf.dispose(stepped);
  });

  it("'per-classifier' gives each classifier its own ODIN step, as the common re-implementation", () => {
    const steppedLogits = tf.tidy(() =>
      [0, 1].map((k) => {
        const single = (v: tf.Tensor) => apply(v)[k]!;
        return single(odinPerturb(single, x, { temperature: T, epsilon: EPS }));
      }),
    );
    const got = getDetector('eloc', { epsilon: EPS, perturbation: 'per-classifier' }).score(model, { x });
    expectClose(got, Array.from(elocScore(steppedLogits)), 1e-6);
    tf.dispose(steppedLogits);
  });

  it('epsilon 0 scores the input as given; chunks (batchSize) give the same numbers; no tensor leaks', () => {
    const plain = tf.tidy(() => apply(x).slice(0, 2));
    expect(Array.from(getDetector('eloc', { epsilon: 0 }).score(model, { x }))).toEqual(Array.from(elocScore(plain)));
    tf.dispose(plain);
    const whole = getDetector('eloc').score(model, { x });
    expectClose(getDetector('eloc', { batchSize: 4 }).score(model, { x }), Array.from(whole), 1e-6);
    const summed = getDetector('eloc');
    const perClassifier = getDetector('eloc', { perturbation: 'per-classifier', batchSize: 4 });
    expect(summed.needsInput).toBe(true);
    expectNoLeak(() => summed.score(model, { x }));
    expectNoLeak(() => perClassifier.score(model, { x }));
  });

  it('says what is wrong: options, a model without logits, a one-class classifier, a missing input', () => {
    expect(() => getDetector('eloc', { perturbation: 'each' })).toThrow(
      /perturbation must be one of 'summed', 'per-classifier', got 'each'/,
    );
    expect(() => getDetector('eloc', { epsilom: 0.1 })).toThrow(/unknown option 'epsilom'/);
    expect(() => getDetector('eloc', { epsilon: -1 })).toThrow(/epsilon must be a finite number >= 0/);
    const featuresOnly: DetectorModel = { outputs: [{ index: 2, role: 'features', space: 'euclidean' }], apply };
    expect(() => getDetector('eloc').score(featuresOnly, { x })).toThrow(/the model has no euclidean logits output/);
    const oneClass: DetectorModel = {
      outputs: [{ index: 0, role: 'logits', space: 'euclidean' }],
      apply: (v) => [tf.slice(tiny.logits(v), [0, 0], [-1, 1])],
    };
    expect(() => getDetector('eloc').score(oneClass, { x })).toThrow(/needs >= 2 kept classes/);
    expect(() => getDetector('eloc').score(model, {})).toThrow(/perturbs the input: pass the inputs as data.x/);
    const before = tf.memory().numTensors;
    expect(() => getDetector('eloc').score(oneClass, { x })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
