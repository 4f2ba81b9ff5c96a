import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { elocScore, summedCentredConfidence } from './eloc-score';
import { AnomalyScoreError } from './errors';
import { expectClose, expectNoLeak, type Rows, randomRows, softmax64 } from './test-utils';

/** max p - H(p) of softmax(row / T), float64, literally as Vyas et al. write it. */
function confidence64(row: readonly number[], temperature: number): number {
  const p = softmax64(row.map((v) => v / temperature));
  return Math.max(...p) + p.reduce((s, q) => s + q * Math.log(q), 0);
}
/** ELOC's S(x) summed over classifiers, per row. */
const elocConfidence64 = (perClassifier: Rows[], temperature: number) =>
  perClassifier[0]!.map((_, i) => perClassifier.reduce((s, rows) => s + confidence64(rows[i]!, temperature), 0));
const offset64 = (counts: number[]) => counts.reduce((s, c) => s + 1 / c - Math.log(c), 0);

const A: Rows = [
  [2, 0, -1],
  [0, 0, 0],
  [5, 4.5, -3],
];
const B: Rows = [
  [1, -1, 0, 0.5],
  [3, 0, 0, 0],
  [-2, 0, 1, 0],
];

describe('elocScore (Vyas et al. 2018): -sum_k [max p_k - H(p_k)]', () => {
  it('at T = 1 gives the hand-computed values (two classifiers of 3 and 4 classes)', () => {
    const a = tf.tensor2d(A);
    const b = tf.tensor2d(B);
    // Row 2 by hand: [0, 0, 0] gives max p = 1/3 and H = log 3, so 1/3 - 1.098612 = -0.765279;
    // [3, 0, 0, 0] gives p = (0.870049, 0.043317 x 3): max p - H = 0.870049 - 0.529061 = 0.340988.
    // S = -0.424291, and the score is -S = 0.424291.
    const want = elocConfidence64([A, B], 1).map((s) => -s);
    expect(want[1]).toBeCloseTo(0.424291, 5);
    expectClose(elocScore([a, b], { temperature: 1 }), want, 1e-5);
    expectClose(
      elocScore([a, b], { temperature: 1, output: 'confidence' }),
      want.map((v) => -v),
      1e-5,
    );
    tf.dispose([a, b]);
  });

  it('at T = 1000 (the default) matches float64, and output rank keeps the part that varies exactly', () => {
    const rowsA = randomRows(6, 10, 3, 8);
    const rowsB = randomRows(6, 10, 4, 8);
    const a = tf.tensor2d(rowsA);
    const b = tf.tensor2d(rowsB);
    const s = elocConfidence64([rowsA, rowsB], 1000);
    expectClose(
      elocScore([a, b]),
      s.map((v) => -v),
      1e-6,
    );
    // Without the constant sum_k (1/C_k - log C_k) = 2 (0.1 - log 10) the values are about 1e-3 and
    // keep float32's relative precision.
    const centred = s.map((v) => v - offset64([10, 10]));
    expect(Math.max(...centred)).toBeLessThan(1e-2);
    expectClose(
      elocScore([a, b], { output: 'rank' }),
      centred.map((v) => -v),
      1e-5,
      1e-12,
    );
    tf.dispose([a, b]);
  });

  it('resolves logit spreads of 0.1 at T = 1000 (centred values about 1e-5), where a literal float32 max p - H(p) cannot', () => {
    const rows = randomRows(5, 4, 11, 0.05);
    const l = tf.tensor2d(rows);
    const centred = elocConfidence64([rows], 1000).map((v) => v - offset64([4]));
    expect(Math.max(...centred)).toBeLessThan(2e-5);
    expectClose(
      elocScore([l], { output: 'rank' }),
      centred.map((v) => -v),
      1e-4,
      1e-14,
    );
    // The literal formula in float32, minus the same constant, is off by more than 1% for some row.
    const literal = tf.tidy(() => {
      const p = tf.softmax(tf.div(l, 1000));
      return Array.from(tf.add(tf.max(p, 1), tf.sum(tf.mul(p, tf.log(p)), 1)).dataSync());
    });
    const worst = Math.max(...literal.map((v, i) => Math.abs(v - offset64([4]) - centred[i]!) / centred[i]!));
    expect(worst).toBeGreaterThan(0.01);
    l.dispose();
  });

  it('is unchanged by adding a constant to a row, and the same in chunks, as a tensor, without leaks', () => {
    const a = tf.tensor2d(A);
    const b = tf.tensor2d(B);
    const shifted = tf.add(a, tf.tensor2d([[7], [-3], [100]]));
    const whole = elocScore([a, b], { temperature: 1 });
    expectClose(elocScore([shifted, b], { temperature: 1 }), Array.from(whole), 1e-5);
    expectClose(elocScore([a, b], { temperature: 1, batchSize: 2 }), Array.from(whole), 1e-7);
    const t = elocScore([a, b], { temperature: 1, asTensor: true });
    expect(t.shape).toEqual([3]);
    t.dispose();
    expectNoLeak(() => elocScore([a, b]));
    expectNoLeak(() => elocScore([a, b], { asTensor: true, output: 'rank' }));
    tf.dispose([a, b, shifted]);
  });

  it('its confidence has finite gradients for uniform logits and for very confident ones', () => {
    for (const [value, temperature] of [
      [0, 1000],
      [200, 1],
    ] as const) {
      const l = tf.tensor2d([[value, 0, -value]]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(summedCentredConfidence([x as tf.Tensor2D], temperature)))(l);
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([l, g]);
    }
  });

  it('says what is wrong with its input', () => {
    const a = tf.tensor2d(A);
    const two = tf.zeros([2, 3]);
    const single = tf.zeros([3, 1]);
    const nan = tf.tensor2d([[0, Number.NaN, 1]]);
    expect(() => elocScore([])).toThrow(AnomalyScoreError);
    expect(() => elocScore([])).toThrow(/non-empty array of \[batch, classes\] tensors, one per leave-out classifier/);
    expect(() => elocScore([a, two])).toThrow(/logitsPerClassifier\[1\] has 2 rows but elocScore: logitsPerClassifier\[0\] has 3/);
    expect(() => elocScore([single])).toThrow(/needs >= 2 kept classes/);
    expect(() => elocScore([nan])).toThrow(/NaN or infinite values \(1 bad row, first at row 0\)/);
    expect(() => elocScore([a], { temperature: 0 })).toThrow(/temperature must be a finite number > 0/);
    expect(() => elocScore([a], { output: 'z' as never })).toThrow(/output must be one of 'anomaly', 'rank', 'confidence'/);
    tf.dispose([a, two, single, nan]);
  });
});
