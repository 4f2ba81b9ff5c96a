import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';
import { fitKnn } from './knn';
import { expectClose, expectNoLeak, norm64, type Rows, randomRows } from './test-utils';

/** Brute force in float64: sort all distances between (normalised) rows, take the k-th. */
function bruteForce(train: Rows, test: Rows, k: number, normalize = true): number[] {
  const unit = (r: number[]) => {
    const n = norm64(r);
    return n > 0 && normalize ? r.map((v) => v / n) : r;
  };
  const t = train.map(unit);
  return test.map((row) => {
    const z = unit(row);
    const d = t.map((x) => Math.sqrt(x.reduce((s, v, i) => s + (v - z[i]!) ** 2, 0))).sort((a, b) => a - b);
    return d[k - 1]!;
  });
}

describe('fitKnn (Sun et al. 2022)', () => {
  const train = randomRows(500, 8, 3);
  const test = randomRows(60, 8, 4, 2);

  it.each([
    [1, 8192],
    [5, 64],
    [50, 128],
    [500, 8192],
  ])('matches brute force for k = %i (train blocks of %i)', (k, trainBlockSize) => {
    const [f, t] = [tf.tensor2d(train), tf.tensor2d(test)];
    const detector = fitKnn(f, { k, trainBlockSize });
    expectClose(detector.score(t), bruteForce(train, test, k), 1e-3, 1e-3);
    expectClose(detector.score(t, { batchSize: 7 }), bruteForce(train, test, k), 1e-3, 1e-3);
    detector.dispose();
    for (const v of [f, t]) v.dispose();
  });

  it.each([
    [1, 8192],
    [3, 64],
    [40, 100],
  ])('with normalize: false matches the raw Euclidean brute force for k = %i (train blocks of %i)', (k, trainBlockSize) => {
    // Rows of different norms (scaled by 0.5..3.5), so that normalising would change the neighbours.
    const scaled = (rows: Rows) => rows.map((r, i) => r.map((v) => v * (0.5 + (i % 7) / 2)));
    const [rawTrain, rawTest] = [scaled(train), scaled(test)];
    const [f, t] = [tf.tensor2d(rawTrain), tf.tensor2d(rawTest)];
    const detector = fitKnn(f, { k, trainBlockSize, normalize: false });
    expect(detector.normalize).toBe(false);
    const expected = bruteForce(rawTrain, rawTest, k, false);
    expectClose(detector.score(t, { batchSize: 9 }), expected, 2e-3, 2e-3);
    // ... and differs from the normalised distances.
    expect(Math.max(...bruteForce(rawTrain, rawTest, k).map((d, i) => Math.abs(d - expected[i]!)))).toBeGreaterThan(0.1);
    detector.dispose();
    for (const v of [f, t]) v.dispose();
  });

  it('with normalize: false, a training point is at about 0 and a scaled one at its raw distance', () => {
    const f = tf.tensor2d([
      [1, 0],
      [0, 2],
    ]);
    const detector = fitKnn(f, { k: 1, normalize: false });
    const t = tf.tensor2d([
      [1, 0],
      [3, 0],
      [0, 0],
    ]);
    expectClose(detector.score(t), [0, 2, 1], 1e-5, 1e-5);
    for (const v of [f, t]) v.dispose();
    detector.dispose();
    expect(() => fitKnn(f, { normalize: 'no' } as never)).toThrow(/normalize must be true or false/);
  });

  it('is about 0 for a training point with k = 1, and unchanged by scaling a feature', () => {
    const f = tf.tensor2d(train);
    const detector = fitKnn(f, { k: 1 });
    const t = tf.tensor2d([train[10]!, train[10]!.map((v) => v * 7.5), [0, 0, 0, 0, 0, 0, 0, 0]]);
    const s = detector.score(t);
    expect(s[0]).toBeLessThan(1e-3);
    expect(s[1]).toBeLessThan(1e-3);
    expect(s[2]).toBeCloseTo(Math.SQRT2, 5); // a zero feature is at distance sqrt 2 from every unit vector
    for (const v of [f, t]) v.dispose();
    detector.dispose();
  });

  it('leaks nothing and releases its tensors on dispose', () => {
    const [f, t] = [tf.tensor2d(train), tf.tensor2d(test)];
    const before = tf.memory().numTensors;
    const detector = fitKnn(f, { k: 5, trainBlockSize: 100 });
    expectNoLeak(() => detector.score(t, { batchSize: 16 }));
    expectNoLeak(() => detector.score(t, { asTensor: true, batchSize: 16 }));
    detector.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const raw = fitKnn(f, { k: 5, trainBlockSize: 100, normalize: false });
    expectNoLeak(() => raw.score(t, { batchSize: 16 }));
    raw.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => detector.score(t)).toThrow(/disposed/);
    for (const v of [f, t]) v.dispose();
  });

  it('rejects bad k, shapes and values', () => {
    const f = tf.tensor2d(train);
    expect(() => fitKnn(f, { k: 501 })).toThrow(/only 500/);
    expect(() => fitKnn(f, { k: 2.5 })).toThrow(AnomalyScoreError);
    expect(() => fitKnn(f, { k: 0 })).toThrow(AnomalyScoreError);
    expect(() => fitKnn(f, { K: 3 } as never)).toThrow(/unknown option/);
    const detector = fitKnn(f, { k: 3 });
    const [narrow, nan] = [tf.tensor2d([[1, 2]]), tf.tensor2d([[NaN, 0, 0, 0, 0, 0, 0, 0]])];
    expect(() => detector.score(narrow)).toThrow(/fitted on 8/);
    expect(() => detector.score(nan)).toThrow(/NaN/);
    for (const v of [f, narrow, nan]) v.dispose();
    detector.dispose();
  });
});
