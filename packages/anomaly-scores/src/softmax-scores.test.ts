import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { energyScore } from './energy-score';
import { AnomalyScoreError } from './errors';
import { maxLogitScore } from './max-logit-score';
import { maxSoftmaxScore } from './max-softmax-score';
import { expectClose, expectNoLeak, logSumExp64, randomRows, softmax64 } from './test-utils';

const logits = [
  [2, 1, 0.1],
  [0, 0, 0],
  [10, -3, 4],
  [-1, 5, 5],
];

const row = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 2, maxLength: 8 });

describe('maxSoftmaxScore (Hendrycks & Gimpel)', () => {
  it('is 1 - max softmax against a float64 reference, with and without temperature', () => {
    const x = tf.tensor2d(logits);
    expectClose(
      maxSoftmaxScore(x),
      logits.map((r) => 1 - Math.max(...softmax64(r))),
    );
    expectClose(
      maxSoftmaxScore(x, { temperature: 3 }),
      logits.map((r) => 1 - Math.max(...softmax64(r.map((v) => v / 3)))),
    );
    x.dispose();
  });

  it('gives 1 - 1/C for uniform logits and stays positive for huge margins', () => {
    const got = tf.tidy(() =>
      maxSoftmaxScore(
        tf.tensor2d([
          [1, 1, 1, 1],
          [40, 0, 0, 0],
          [80, 0, 0, 0],
        ]),
      ),
    );
    expect(got[0]).toBeCloseTo(0.75, 6);
    // float32 1 - softmax would be exactly 0 here; the direct form keeps e^-40 * 3 and e^-80 * 3
    expect(Math.abs(got[1]! - 3 * Math.exp(-40)) / (3 * Math.exp(-40))).toBeLessThan(1e-5);
    expect(got[2]).toBeGreaterThan(0);
    expect(got[2]).toBeLessThan(got[1]!);
  });

  test.prop([row, fc.double({ min: -100, max: 100, noNaN: true })])('is unchanged by adding a constant to the logits', (r, c) => {
    const [a, b] = tf.tidy(() => [maxSoftmaxScore(tf.tensor2d([r])), maxSoftmaxScore(tf.tensor2d([r.map((v) => v + c)]))]);
    expect(Math.abs(a![0]! - b![0]!)).toBeLessThanOrEqual(2e-5 * Math.max(a![0]!, 1e-30) + 1e-6);
  });

  it('batches without changing values and returns a tensor on request', () => {
    const data = randomRows(50, 5, 1, 4);
    const x = tf.tensor2d(data);
    const whole = maxSoftmaxScore(x);
    expect(Array.from(maxSoftmaxScore(x, { batchSize: 7 }))).toEqual(Array.from(whole));
    const t = maxSoftmaxScore(x, { asTensor: true, batchSize: 16 });
    expect(t.shape).toEqual([50]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(whole));
    t.dispose();
    expectNoLeak(() => maxSoftmaxScore(x, { batchSize: 16 }));
    expectNoLeak(() => maxSoftmaxScore(x, { asTensor: true, batchSize: 16 }));
    x.dispose();
  });

  it('returns an empty result for zero rows', () => {
    const x = tf.zeros([0, 3]);
    expect(maxSoftmaxScore(x).length).toBe(0);
    x.dispose();
  });
});

describe('maxLogitScore (Hendrycks et al. 2022)', () => {
  it('is -max logit', () => {
    const x = tf.tensor2d(logits);
    expectClose(
      maxLogitScore(x),
      logits.map((r) => -Math.max(...r)),
    );
    expectNoLeak(() => maxLogitScore(x, { asTensor: true }));
    x.dispose();
  });
});

describe('energyScore (Liu et al. 2020)', () => {
  it('is -logsumexp at T = 1 and -T logsumexp(l / T) otherwise', () => {
    const x = tf.tensor2d(logits);
    expectClose(
      energyScore(x),
      logits.map((r) => -logSumExp64(r)),
    );
    expectClose(
      energyScore(x, { temperature: 5 }),
      logits.map((r) => -5 * logSumExp64(r.map((v) => v / 5))),
    );
    expectNoLeak(() => energyScore(x, { temperature: 2 }));
    x.dispose();
  });

  it('is finite for large logits and tends to -max logit as T -> 0', () => {
    const got = tf.tidy(() => energyScore(tf.tensor2d([[1000, 999, -1000]]), { temperature: 1e-3 }));
    expect(got[0]).toBeCloseTo(-1000, 3);
  });

  it('has gradient -softmax(l / T) with respect to the logits', () => {
    const l = [1, -2, 0.5];
    const got = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(energyScore(x, { temperature: 2, asTensor: true })))(tf.tensor2d([l]))
          .dataSync(),
      ),
    );
    expectClose(
      got,
      softmax64(l.map((v) => v / 2)).map((p) => -p),
      1e-5,
      1e-7,
    );
  });

  test.prop([row, fc.double({ min: -50, max: 50, noNaN: true })])('shifts by -c when every logit shifts by c', (r, c) => {
    const [a, b] = tf.tidy(() => [energyScore(tf.tensor2d([r])), energyScore(tf.tensor2d([r.map((v) => v + c)]))]);
    expect(b![0]!).toBeCloseTo(a![0]! - c, 3);
  });
});

describe('bad input', () => {
  const cases: [string, () => unknown][] = [
    ['rank 1', () => maxSoftmaxScore(tf.tensor1d([1, 2]))],
    ['rank 3', () => energyScore(tf.zeros([2, 2, 2]))],
    ['no classes', () => maxLogitScore(tf.zeros([2, 0]))],
    [
      'NaN',
      () =>
        maxSoftmaxScore(
          tf.tensor2d([
            [1, 2],
            [NaN, 0],
          ]),
        ),
    ],
    ['Infinity', () => energyScore(tf.tensor2d([[Infinity, 2]]))],
    ['temperature 0', () => maxSoftmaxScore(tf.tensor2d([[1, 2]]), { temperature: 0 })],
    ['temperature NaN', () => energyScore(tf.tensor2d([[1, 2]]), { temperature: NaN })],
    ['batchSize 0', () => maxLogitScore(tf.tensor2d([[1, 2]]), { batchSize: 0 })],
    ['unknown option', () => maxLogitScore(tf.tensor2d([[1, 2]]), { temprature: 2 } as object)],
    ['not a tensor', () => maxSoftmaxScore([[1, 2]] as unknown as tf.Tensor)],
  ];
  it.each(cases)('throws AnomalyScoreError for %s', (_, fn) => {
    let thrown: unknown;
    tf.tidy(() => {
      try {
        fn();
      } catch (e) {
        thrown = e;
      }
    });
    expect(AnomalyScoreError.isInstance(thrown)).toBe(true);
  });

  it('names the first bad row', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [NaN, 0],
    ]);
    expect(() => maxSoftmaxScore(x)).toThrow(/first at row 2/);
    x.dispose();
  });
});
