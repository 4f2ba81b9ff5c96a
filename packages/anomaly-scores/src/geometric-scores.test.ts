import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { divergenceScore } from './divergence-score';
import { AnomalyScoreError } from './errors';
import { hyperbolicScore } from './hyperbolic-score';
import { mixedDivergenceScore } from './mixed-divergence-score';
import { mixedScore } from './mixed-score';
import { sphericalScore } from './spherical-score';
import { expectClose, expectNoLeak, klSoftmax64, poincareDist0_64, randomRows, softmax64 } from './test-utils';

const asOf = (z: number) => 1 - Math.tanh(z);

describe('sphericalScore (Eq. 9)', () => {
  const logits = [
    [0.9, -0.2, 0.1],
    [0.1, 0.05, -0.5],
    [-0.3, -0.6, -0.9],
  ];
  it('z_S = max spherical logit; AS = 1 - tanh(z_S); rank = -z_S', () => {
    const x = tf.tensor2d(logits);
    const z = logits.map((r) => Math.max(...r));
    expectClose(sphericalScore(x, { output: 'z' }), z);
    expectClose(sphericalScore(x), z.map(asOf));
    expectClose(
      sphericalScore(x, { output: 'rank' }),
      z.map((v) => -v),
    );
    expectNoLeak(() => sphericalScore(x, { asTensor: true }));
    x.dispose();
  });
});

describe('hyperbolicScore (Eq. 10)', () => {
  it('matches 2/sqrt|k| artanh(sqrt|k| |e|) in float64 for several curvatures', () => {
    for (const k of [-1, -0.01, -0.005]) {
      const r = 1 / Math.sqrt(-k);
      const rows = [
        [0, 0, 0],
        [0.1 * r, 0, 0],
        [0.3 * r, -0.4 * r, 0.1 * r],
        [0.6 * r, 0.6 * r, 0.2 * r],
        [0.9999 * r, 0, 0],
      ];
      const x = tf.tensor2d(rows);
      const want = rows.map((row) => poincareDist0_64(row, k));
      expectClose(hyperbolicScore(x, { k, output: 'z' }), want, 2e-4, 1e-5);
      expectClose(hyperbolicScore(x, { k }), want.map(asOf), 2e-3, 1e-6);
      x.dispose();
    }
  });

  it('is about 2|e| for small points and small |k| (Euclidean limit)', () => {
    const got = tf.tidy(() => hyperbolicScore(tf.tensor2d([[0.3, 0.4]]), { k: -1e-6, output: 'z' }));
    expect(got[0]).toBeCloseTo(1, 4);
  });

  test.prop([
    fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
    fc.double({ min: 0.01, max: 0.95, noNaN: true }),
    fc.double({ min: 0.01, max: 0.95, noNaN: true }),
    fc.constantFrom(-1, -0.01),
  ])('z_H increases and AS decreases with the embedding norm', (dir, a, b) => {
    fc.pre(Math.abs(a - b) > 1e-3 && dir.some((v) => Math.abs(v) > 1e-3));
    const k = -1;
    const n = Math.sqrt(dir.reduce((s, v) => s + v * v, 0));
    const at = (t: number) => dir.map((v) => (v / n) * t);
    const x = tf.tensor2d([at(a), at(b)]);
    const z = hyperbolicScore(x, { k, output: 'z' });
    const as = hyperbolicScore(x, { k });
    x.dispose();
    expect(Math.sign(z[0]! - z[1]!)).toBe(Math.sign(a - b));
    expect(Math.sign(as[0]! - as[1]!)).toBe(-Math.sign(a - b));
  });

  it('ranks near-boundary points that 1 - tanh(z) would tie', () => {
    const rows = [0.999, 0.99999, 0.9999999].map((t) => [t, 0]);
    const x = tf.tensor2d(rows);
    const as = hyperbolicScore(x, { k: -1 });
    const rank = hyperbolicScore(x, { k: -1, output: 'rank' });
    x.dispose();
    expect(as[0]).toBeGreaterThan(as[1]!);
    expect(as[1]).toBeGreaterThan(0);
    expect(rank[0]).toBeGreaterThan(rank[1]!);
    expect(Number.isFinite(rank[2]!)).toBe(true);
  });

  it('has a finite gradient at the origin and at the boundary', () => {
    // via asTensor, which is differentiable
    const g = tf.grad((e: tf.Tensor) => tf.sum(hyperbolicScore(e, { k: -1, output: 'z', asTensor: true })));
    const grads = tf.tidy(() =>
      Array.from(
        g(
          tf.tensor2d([
            [0, 0],
            [0.3, 0.4],
            [0.99999999, 0],
          ]),
        ).dataSync(),
      ),
    );
    expect(grads.every(Number.isFinite)).toBe(true);
    // d/de 2 artanh(|e|) = 2 / (1 - |e|^2) e/|e|
    expect(grads[2]).toBeCloseTo((2 / (1 - 0.25)) * 0.6, 4);
    expect(grads[3]).toBeCloseTo((2 / (1 - 0.25)) * 0.8, 4);
  });

  it('rejects a positive k, a missing k and points outside the ball', () => {
    const x = tf.tensor2d([[0.5, 0]]);
    for (const bad of [{ k: 1 }, { k: 0 }, {}, { k: NaN }]) {
      expect(() => hyperbolicScore(x, bad as { k: number })).toThrow(AnomalyScoreError);
    }
    expect(() => hyperbolicScore(x, { k: -100 })).toThrow(/outside the Poincare ball/);
    x.dispose();
  });
});

describe('mixedScore (Eq. 11)', () => {
  const sLogits = [
    [0.8, 0.1],
    [0.2, 0.3],
  ];
  const hEmb = [
    [0.5, 0.2],
    [0.1, 0.0],
  ];
  const eLogits = [
    [3, 0, 1],
    [0, 0.2, 0.1],
  ];
  it('z_M = sqrt(z_S^2 + z_H^2), and with the Euclidean z_E = max softmax', () => {
    const s = tf.tensor2d(sLogits);
    const h = tf.tensor2d(hEmb);
    const e = tf.tensor2d(eLogits);
    const k = -0.5;
    const zS = sLogits.map((r) => Math.max(...r));
    const zH = hEmb.map((r) => poincareDist0_64(r, k));
    const zE = eLogits.map((r) => Math.max(...softmax64(r)));
    const zM = zS.map((v, i) => Math.hypot(v, zH[i]!));
    const components = [
      { space: 'spherical' as const, logits: s },
      { space: 'hyperbolic' as const, embedding: h, k },
    ];
    expectClose(mixedScore(components, { output: 'z' }), zM);
    expectClose(mixedScore(components), zM.map(asOf));
    expectClose(
      mixedScore(components, { output: 'rank' }),
      zM.map((v) => -v),
    );
    const withE = [{ space: 'euclidean' as const, logits: e }, ...components];
    expectClose(
      mixedScore(withE, { output: 'z' }),
      zM.map((v, i) => Math.hypot(v, zE[i]!)),
    );
    expectClose(
      mixedScore(withE, { output: 'z', batchSize: 1 }),
      zM.map((v, i) => Math.hypot(v, zE[i]!)),
    );
    expectNoLeak(() => mixedScore(withE, { asTensor: true, batchSize: 1 }));
    expect(() => mixedScore([])).toThrow(AnomalyScoreError);
    expect(() => mixedScore([{ space: 'spherical', logits: s }, { space: 'elliptic', logits: s } as never])).toThrow(/space/);
    const oneRow = tf.tensor2d([[0.1, 0.2]]);
    expect(() =>
      mixedScore([
        { space: 'spherical', logits: s },
        { space: 'spherical', logits: oneRow },
      ]),
    ).toThrow(/rows/);
    for (const t of [s, h, e, oneRow]) t.dispose();
  });
});

describe('divergenceScore (Eq. 12)', () => {
  const a = randomRows(6, 4, 11, 3);
  const b = randomRows(6, 4, 12, 3);
  const kl = a.map((r, i) => klSoftmax64(r, b[i]!));
  it('z_EG = KL(softmax(e) || softmax(g)) in float64', () => {
    const [x, y] = [tf.tensor2d(a), tf.tensor2d(b)];
    expectClose(divergenceScore(x, y, { output: 'z' }), kl, 1e-4, 1e-6);
    x.dispose();
    y.dispose();
  });

  it('logits default: larger KL is anomalous (AS = tanh z); embedding default: AS = 1 - tanh z', () => {
    const [x, y] = [tf.tensor2d(a), tf.tensor2d(b)];
    expectClose(divergenceScore(x, y), kl.map(Math.tanh), 1e-4, 1e-6);
    expectClose(divergenceScore(x, y, { output: 'rank' }), kl, 1e-4, 1e-6);
    expectClose(divergenceScore(x, y, { input: 'embedding' }), kl.map(asOf), 1e-4, 1e-6);
    expectClose(
      divergenceScore(x, y, { input: 'embedding', output: 'rank' }),
      kl.map((v) => -v),
      1e-4,
      1e-6,
    );
    expectClose(divergenceScore(x, y, { direction: 'larger-is-normal' }), kl.map(asOf), 1e-4, 1e-6);
    expectClose(divergenceScore(x, y, { input: 'embedding', direction: 'larger-is-anomalous' }), kl.map(Math.tanh), 1e-4, 1e-6);
    expectNoLeak(() => divergenceScore(x, y, { batchSize: 4 }));
    x.dispose();
    y.dispose();
  });

  it('is 0 for identical rows (never negative) and is not symmetric', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [0.3, 0.30000001, 0.3],
    ]);
    const z = divergenceScore(x, x, { output: 'z' });
    expect(Array.from(z)).toEqual([0, 0]);
    const [p, q] = [tf.tensor2d([[4, 0, 0]]), tf.tensor2d([[0, 0, 4]])];
    const [pq, qp] = [divergenceScore(p, q, { output: 'z' })[0]!, divergenceScore(q, p, { output: 'z' })[0]!];
    expect(pq).toBeCloseTo(klSoftmax64([4, 0, 0], [0, 0, 4]), 5);
    expect(qp).toBeCloseTo(pq, 5); // this pair is a mirror image
    const r = tf.tensor2d([[0, 0, 0]]);
    expect(divergenceScore(p, r, { output: 'z' })[0]).not.toBeCloseTo(divergenceScore(r, p, { output: 'z' })[0]!, 3);
    for (const t of [x, p, q, r]) t.dispose();
  });

  it('rejects mismatched class counts, bad input and direction names', () => {
    const [x, y] = [tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1, 2]])];
    expect(() => divergenceScore(x, y)).toThrow(/same classes/);
    expect(() => divergenceScore(x, x, { input: 'probabilities' as never })).toThrow(AnomalyScoreError);
    expect(() => divergenceScore(x, x, { direction: 'code' as never })).toThrow(/larger-is-anomalous/);
    expect(() => divergenceScore(x, x, { output: 'as' as never })).toThrow(AnomalyScoreError);
    x.dispose();
    y.dispose();
  });
});

describe('mixedDivergenceScore (Eq. 13)', () => {
  const e = randomRows(5, 3, 21, 2);
  const s = randomRows(5, 3, 22, 2);
  const h = randomRows(5, 3, 23, 2);
  const zES = e.map((r, i) => klSoftmax64(r, s[i]!));
  const zEH = e.map((r, i) => klSoftmax64(r, h[i]!));
  const zEM = zES.map((v, i) => Math.hypot(v, zEH[i]!));
  it('z_EM = sqrt(z_ES^2 + z_EH^2) with both directions and the max-logit variant', () => {
    const [te, ts, th] = [tf.tensor2d(e), tf.tensor2d(s), tf.tensor2d(h)];
    expectClose(mixedDivergenceScore(te, [ts, th], { output: 'z' }), zEM, 1e-4, 1e-6);
    expectClose(mixedDivergenceScore(te, [ts, th]), zEM.map(Math.tanh), 1e-4, 1e-6);
    expectClose(mixedDivergenceScore(te, [ts, th], { direction: 'larger-is-normal' }), zEM.map(asOf), 1e-4, 1e-6);
    expectClose(mixedDivergenceScore(te, [ts], { output: 'z' }), zES, 1e-4, 1e-6);
    const withMax = zEM.map((v, i) => Math.hypot(v, Math.max(...e[i]!)));
    expectClose(mixedDivergenceScore(te, [ts, th], { output: 'z', euclideanMaxLogit: true, batchSize: 2 }), withMax, 1e-4, 1e-6);
    expectNoLeak(() => mixedDivergenceScore(te, [ts, th], { batchSize: 2, asTensor: true }));
    expect(() => mixedDivergenceScore(te, [])).toThrow(AnomalyScoreError);
    expect(() => mixedDivergenceScore(te, [ts], { input: 'embedding', euclideanMaxLogit: true })).toThrow(/logits/);
    for (const t of [te, ts, th]) t.dispose();
  });
});

describe('gradients (asTensor outputs are differentiable)', () => {
  /** Central differences in float64 of f at x, one coordinate at a time. */
  const numericGradient = (f: (x: number[]) => number, x: number[], h = 1e-6) =>
    x.map((_, i) => {
      const up = [...x];
      const down = [...x];
      up[i]! += h;
      down[i]! -= h;
      return (f(up) - f(down)) / (2 * h);
    });

  it('d z_EG / d euclidean logits matches float64 finite differences', () => {
    const e = [0.5, -1, 2, 0.3];
    const g = [1, 0.2, -0.5, 0.7];
    const got = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(divergenceScore(x, tf.tensor2d([g]), { output: 'z', asTensor: true })))(tf.tensor2d([e]))
          .dataSync(),
      ),
    );
    expectClose(
      got,
      numericGradient((x) => klSoftmax64(x, g), e),
      1e-3,
      1e-5,
    );
  });

  it('d AS(z_H) / d embedding matches float64 finite differences', () => {
    const e = [0.3, -0.2, 0.5];
    const k = -0.7;
    const got = tf.tidy(() =>
      Array.from(
        tf
          .grad((x: tf.Tensor) => tf.sum(hyperbolicScore(x, { k, asTensor: true })))(tf.tensor2d([e]))
          .dataSync(),
      ),
    );
    expectClose(
      got,
      numericGradient((x) => asOf(poincareDist0_64(x, k)), e),
      1e-3,
      1e-5,
    );
  });
});
