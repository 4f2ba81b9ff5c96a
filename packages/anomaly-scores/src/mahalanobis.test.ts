import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';
import { fitMahalanobis } from './mahalanobis';
import { expectClose, expectNoLeak, type Rows, randomRows, seededRandom } from './test-utils';
import { gaussianClasses, type TinyModel, trainTinyModel } from './tiny-model.test-fixture';

/** Float64 reference: class means, tied covariance (1/N) + relative ridge, Gauss-Jordan inverse. */
function reference(train: Rows, labels: number[], ridge: number) {
  const dim = train[0]!.length;
  const classes = Math.max(...labels) + 1;
  const means = Array.from({ length: classes }, (_, c) => {
    const rows = train.filter((_, i) => labels[i] === c);
    return Array.from({ length: dim }, (_, d) => rows.reduce((s, r) => s + r[d]!, 0) / rows.length);
  });
  const cov = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  train.forEach((r, i) => {
    const m = means[labels[i]!]!;
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) cov[a]![b]! += ((r[a]! - m[a]!) * (r[b]! - m[b]!)) / train.length;
  });
  const trace = cov.reduce((s, row, a) => s + row[a]!, 0);
  for (let a = 0; a < dim; a++) cov[a]![a]! += (ridge * trace) / dim;
  // Gauss-Jordan with partial pivoting
  const aug = cov.map((row, i) => [...row, ...Array.from({ length: dim }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < dim; col++) {
    let pivot = col;
    for (let r = col + 1; r < dim; r++) if (Math.abs(aug[r]![col]!) > Math.abs(aug[pivot]![col]!)) pivot = r;
    [aug[col], aug[pivot]] = [aug[pivot]!, aug[col]!];
    const p = aug[col]![col]!;
    aug[col] = aug[col]!.map((v) => v / p);
    for (let r = 0; r < dim; r++) {
      if (r === col) continue;
      const factor = aug[r]![col]!;
      aug[r] = aug[r]!.map((v, j) => v - factor * aug[col]![j]!);
    }
  }
  const precision = aug.map((row) => row.slice(dim));
  const score = (x: number[]) =>
    Math.min(
      ...means.map((m) => {
        const d = x.map((v, i) => v - m[i]!);
        return d.reduce((s, di, a) => s + di * precision[a]!.reduce((t, p, b) => t + p * d[b]!, 0), 0);
      }),
    );
  return { means, cov, score };
}

function labelledData(n: number, dim: number, classes: number, seed: number) {
  const rand = seededRandom(seed);
  const noise = randomRows(n, dim, seed + 1);
  const centres = randomRows(classes, dim, seed + 2, 3);
  const mix = randomRows(dim, dim, seed + 3); // correlates the noise
  const labels = Array.from({ length: n }, (_, i) => (i < classes ? i : Math.floor(rand() * classes)));
  const x = noise.map((r, i) => r.map((_, b) => centres[labels[i]!]![b]! + r.reduce((s, v, a) => s + v * mix[a]![b]!, 0)));
  return { x, labels };
}

describe('fitMahalanobis (Lee et al. 2018)', () => {
  const { x: train, labels } = labelledData(300, 6, 4, 5);
  const test = randomRows(40, 6, 77, 4);

  it('matches a float64 reference: means, covariance and min squared distance', () => {
    for (const ridge of [0, 1e-6, 0.1]) {
      const f = tf.tensor2d(train);
      const detector = fitMahalanobis(f, labels, { ridge });
      const ref = reference(train, labels, ridge);
      expectClose(detector.means, ref.means.flat(), 1e-6, 1e-6);
      expectClose(detector.covariance, ref.cov.flat(), 1e-6, 1e-7);
      const t = tf.tensor2d(test);
      expectClose(detector.score(t), test.map(ref.score), 2e-4, 1e-4);
      expectClose(detector.score(t, { batchSize: 7 }), test.map(ref.score), 2e-4, 1e-4);
      for (const v of [f, t]) v.dispose();
      detector.dispose();
    }
  });

  it('is 0 at a class mean and accepts labels as a tensor', () => {
    const f = tf.tensor2d(train);
    const y = tf.tensor1d(labels, 'int32');
    const detector = fitMahalanobis(f, y);
    const m = tf.tensor2d(Array.from(detector.means), [4, 6]);
    for (const v of detector.score(m)) expect(Math.abs(v)).toBeLessThan(1e-3);
    for (const v of [f, y, m]) v.dispose();
    detector.dispose();
  });

  it('is invariant under an invertible affine map of the features', () => {
    const a = randomRows(6, 6, 31).map((r, i) => r.map((v, j) => v + (i === j ? 2 : 0)));
    const shift = [1, -2, 0.5, 3, 0, -1];
    const map = (rows: Rows) => rows.map((r) => shift.map((s, b) => s + r.reduce((acc, v, k) => acc + v * a[k]![b]!, 0)));
    const [f1, t1, f2, t2] = [train, test, map(train), map(test)].map((r) => tf.tensor2d(r));
    const d1 = fitMahalanobis(f1!, labels, { ridge: 0 });
    const d2 = fitMahalanobis(f2!, labels, { ridge: 0 });
    expectClose(d2.score(t2!), Array.from(d1.score(t1!)), 2e-3, 1e-3);
    for (const v of [f1, t1, f2, t2]) v!.dispose();
    d1.dispose();
    d2.dispose();
  });

  it('handles a dead (constant) feature with the default ridge and explains the failure without one', () => {
    const withDead = train.map((r) => [...r, 0]);
    const f = tf.tensor2d(withDead);
    expect(() => fitMahalanobis(f, labels, { ridge: 0 })).toThrow(/ridge/);
    const detector = fitMahalanobis(f, labels);
    const t = tf.tensor2d(test.map((r) => [...r, 0]));
    expect(detector.score(t).every(Number.isFinite)).toBe(true);
    for (const v of [f, t]) v.dispose();
    detector.dispose();
  });

  it('leaks nothing and releases its tensors on dispose', () => {
    const f = tf.tensor2d(train);
    const t = tf.tensor2d(test);
    const before = tf.memory().numTensors;
    const detector = fitMahalanobis(f, labels);
    expectNoLeak(() => detector.score(t, { batchSize: 16 }));
    expectNoLeak(() => detector.score(t, { asTensor: true, batchSize: 16 }));
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => detector.score(t)).toThrow(/disposed/);
    for (const v of [f, t]) v.dispose();
  });

  it('rejects bad labels, shapes and values', () => {
    const f = tf.tensor2d(train);
    expect(() => fitMahalanobis(f, labels.slice(1))).toThrow(/labels for 300/);
    expect(() =>
      fitMahalanobis(
        f,
        labels.map((l, i) => (i === 3 ? -1 : l)),
      ),
    ).toThrow(/class indices/);
    expect(() =>
      fitMahalanobis(
        f,
        labels.map((l, i) => (i === 3 ? 0.5 : l)),
      ),
    ).toThrow(AnomalyScoreError);
    expect(() => fitMahalanobis(f, labels, { numClasses: 6 })).toThrow(/class 4 has no training sample/);
    expect(() => fitMahalanobis(f, labels, { numClasses: 2 })).toThrow(/numClasses/);
    expect(() => fitMahalanobis(f, labels, { ridge: -1 })).toThrow(/ridge/);
    expect(() => fitMahalanobis(f, 'labels' as never)).toThrow(AnomalyScoreError);
    const nan = tf.tensor2d([[NaN, 1]]);
    expect(() => fitMahalanobis(nan, [0])).toThrow(/NaN/);
    const detector = fitMahalanobis(f, labels);
    const narrow = tf.tensor2d([[1, 2]]);
    expect(() => detector.score(narrow)).toThrow(/fitted on 6/);
    expect(() => detector.score(tf.tensor1d([1, 2]))).toThrow(/rank-2/);
    for (const v of [f, nan, narrow]) v.dispose();
    detector.dispose();
  });
});

describe('MahalanobisDetector.perturbedScore on a small trained model', () => {
  let model: TinyModel;
  beforeAll(() => {
    model = trainTinyModel(120);
  });
  afterAll(() => model.dispose());

  it('with epsilon 0 equals the plain score; with epsilon > 0 brings every input closer to a class', () => {
    const trainX = tf.tensor2d(model.trainX);
    const trainFeatures = model.hidden(trainX);
    const detector = fitMahalanobis(trainFeatures, model.trainY, { ridge: 1e-3 });
    const x = tf.tensor2d([...gaussianClasses(3, 123).x, [0, 0], [4, 4], [-5, 1]]);
    const features = model.hidden(x);
    const plain = detector.score(features);
    expectClose(detector.perturbedScore(model.hidden, x, { epsilon: 0 }), Array.from(plain), 1e-6, 1e-6);
    const moved = detector.perturbedScore(model.hidden, x, { epsilon: 0.01, batchSize: 4 });
    moved.forEach((v, i) => {
      expect(v).toBeLessThan(plain[i]!);
    });
    expectNoLeak(() => detector.perturbedScore(model.hidden, x, { epsilon: 0.01, batchSize: 4, asTensor: true }));
    expect(() => detector.perturbedScore(model.hidden, x, {} as never)).toThrow(/epsilon/);
    expect(() => detector.perturbedScore(model.logits, x, { epsilon: 0.01 })).toThrow(/fitted on 16/);
    for (const v of [trainX, trainFeatures, x, features]) v.dispose();
    detector.dispose();
  });
});
