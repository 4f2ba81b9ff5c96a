import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { AnomalyScoreError } from './errors';
import { NT_XENT_DEFAULT_TEMPERATURE, ntXentLoss } from './nt-xent-loss';
import { expectClose, expectNoLeak, logSumExp64, norm64, type Rows, randomRows } from './test-utils';

/** NT-Xent in float64, loop by loop: for each row, each other view of its instance is a positive. */
function ntXent64(rows: Rows, temperature: number, views = 2): number {
  const z = rows.map((r) => {
    const n = norm64(r);
    return n > 0 ? r.map((v) => v / n) : r;
  });
  const n = rows.length / views;
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    const others: number[] = [];
    for (let j = 0; j < z.length; j++) if (j !== i) others.push(z[i]!.reduce((s, v, d) => s + v * z[j]![d]!, 0) / temperature);
    const lse = logSumExp64(others);
    for (let j = 0; j < z.length; j++) {
      if (j === i || j % n !== i % n) continue;
      total += lse - z[i]!.reduce((s, v, d) => s + v * z[j]![d]!, 0) / temperature;
    }
  }
  return total / (z.length * (views - 1));
}

const loss = (rows: Rows, options = {}): number => {
  const x = tf.tensor2d(rows);
  const l = ntXentLoss(x, options);
  const v = l.dataSync()[0]!;
  tf.dispose([x, l]);
  return v;
};

describe('ntXentLoss (SimCLR NT-Xent)', () => {
  it('matches a hand-computed value on a 4-row batch', () => {
    // Views a = [e1, e2], b = [e1, e2], T = 1. Row a0: positive b0 (cos 1), negatives a1, b1 (cos 0):
    // -log(e / (e + 1 + 1)) = log(1 + 2 / e) = 0.5514447...; every row is the same by symmetry.
    const rows = [
      [1, 0],
      [0, 1],
      [3, 0],
      [0, 2],
    ];
    expect(loss(rows, { temperature: 1 })).toBeCloseTo(Math.log(1 + 2 / Math.E), 6);
    expect(ntXent64(rows, 1)).toBeCloseTo(0.5514447, 6);
  });

  it('matches the float64 loop on a random batch, for several temperatures and for 3 views', () => {
    const rows = randomRows(12, 5, 7);
    for (const t of [0.07, NT_XENT_DEFAULT_TEMPERATURE, 1, 3]) expectClose([loss(rows, { temperature: t })], [ntXent64(rows, t)], 1e-5);
    expectClose([loss(rows, { temperature: 0.2, views: 3 })], [ntXent64(rows, 0.2, 3)], 1e-5);
    expect(loss(rows)).toBeCloseTo(ntXent64(rows, 0.5), 5); // default temperature 0.5
  });

  it('is stable at a temperature where exp(1 / T) overflows float32', () => {
    // exp(1 / 0.005) = exp(200) is Infinity in float32: a literal exp-then-divide gives NaN here.
    const rows = randomRows(8, 4, 11);
    const got = loss(rows, { temperature: 0.005 });
    expect(Number.isFinite(got)).toBe(true);
    expectClose([got], [ntXent64(rows, 0.005)], 1e-4);
  });

  it('does not change when rows are scaled (they are normalised inside)', () => {
    const rows = randomRows(6, 3, 2);
    const scaled = rows.map((r, i) => r.map((v) => v * (0.01 + 3 * i)));
    expect(loss(scaled)).toBeCloseTo(loss(rows), 5);
  });

  it('its gradient matches central differences of the float64 loss', () => {
    const rows = randomRows(6, 3, 5);
    const t = 0.5;
    const x = tf.tensor2d(rows);
    const g = tf.grad((f: tf.Tensor) => ntXentLoss(f, { temperature: t }))(x);
    const got = Array.from(g.dataSync());
    tf.dispose([x, g]);
    const h = 1e-6;
    const want = rows.flatMap((r, i) =>
      r.map((_, d) => {
        const plus = rows.map((q, k) => q.map((v, e) => (k === i && e === d ? v + h : v)));
        const minus = rows.map((q, k) => q.map((v, e) => (k === i && e === d ? v - h : v)));
        return (ntXent64(plus, t) - ntXent64(minus, t)) / (2 * h);
      }),
    );
    expectClose(got, want, 1e-3, 1e-5);
    expect(got.every(Number.isFinite)).toBe(true);
  });

  it('treats the rotated copies of one image as negatives in a CSI batch', () => {
    // 1 image x 4 rotations = 4 instances; both views identical. The rotations of the image are
    // negatives: pulling them together (all rows equal) raises the loss above the orthogonal case.
    const orthogonal = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    const collapsed = orthogonal.map(() => [1, 1, 1, 1]);
    const low = loss([...orthogonal, ...orthogonal], { temperature: 1 });
    const high = loss([...collapsed, ...collapsed], { temperature: 1 });
    expect(low).toBeCloseTo(ntXent64([...orthogonal, ...orthogonal], 1), 6);
    expect(high).toBeCloseTo(Math.log(7), 6); // every one of the 7 others equally similar
    expect(high).toBeGreaterThan(low);
  });

  it('has a finite gradient when a row is all zeros (the feature of an all-black crop), and the float64 loss', () => {
    // Rows 0 and 5 are zero: a zero row's cosine with every other row is 0 (normalised to zero).
    const rows = randomRows(8, 4, 7);
    rows[0] = [0, 0, 0, 0];
    rows[5] = [0, 0, 0, 0];
    const x = tf.tensor2d(rows);
    const grad = tf.grad((f: tf.Tensor) => ntXentLoss(f))(x);
    const values = Array.from(grad.dataSync());
    expect(values.every(Number.isFinite)).toBe(true);
    const lossValue = tf.tidy(() => ntXentLoss(x).dataSync()[0]!);
    expect(lossValue).toBeCloseTo(ntXent64(rows, NT_XENT_DEFAULT_TEMPERATURE), 5);
    tf.dispose([x, grad]);
  });

  it('leaks nothing, also under tf.grad', () => {
    const x = tf.tensor2d(randomRows(8, 4, 3));
    expectNoLeak(() => ntXentLoss(x));
    expectNoLeak(() => tf.dispose(tf.grad((f: tf.Tensor) => ntXentLoss(f))(x)));
    x.dispose();
  });

  it('rejects bad shapes, NaN, temperatures and options with AnomalyScoreError', () => {
    const odd = tf.tensor2d(randomRows(5, 3, 1));
    const vector = tf.tensor1d([1, 2, 3, 4]);
    const nan = tf.tensor2d([
      [1, 0],
      [Number.NaN, 1],
    ]);
    const ok = tf.tensor2d(randomRows(4, 3, 1));
    expect(() => ntXentLoss(odd)).toThrow(/5 rows, not a positive multiple of views = 2/);
    expect(() => ntXentLoss(vector)).toThrow(/rank-2/);
    expect(() => ntXentLoss(nan)).toThrow(/NaN or infinite values .* first at row 1/);
    for (const temperature of [0, -0.5, Number.NaN])
      expect(() => ntXentLoss(ok, { temperature })).toThrow(/temperature must be a finite number > 0/);
    expect(() => ntXentLoss(ok, { views: 1 })).toThrow(/views must be >= 2/);
    expect(() => ntXentLoss(ok, { temprature: 1 } as never)).toThrow(/unknown option 'temprature'/);
    expect(() => ntXentLoss(ok, { views: 3 })).toThrow(AnomalyScoreError);
    tf.dispose([odd, vector, nan, ok]);
  });
});
