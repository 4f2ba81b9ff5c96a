// Exponential / logarithmic maps, distances and the ball constraint, as fast-check properties over
// k in [-2, 2] (including |k| < 1e-4) and dims 1..64.
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

import type { Vec } from './f64-reference';
import { dist, dist0, expmap, expmap0, inner, logmap, logmap0, transp } from './math';
import { Stereographic } from './stereographic';
import { arbCase, caseRows, expectRowsClose, expectScalarsClose, maxNorm, RUNS, rowsOf, toTensor } from './test-support';

const params = { numRuns: RUNS };

function rows(op: () => tf.Tensor): Vec[] {
  return tf.tidy(() => rowsOf(op()));
}

function scalars(op: () => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(op().dataSync()));
}

test.prop([arbCase(0.7)], params)('expmap0 and logmap0 are inverse', (c) => {
  const x = caseRows(c, 0);
  expectRowsClose(
    rows(() => expmap0(logmap0(toTensor(x), c.k), c.k)),
    x,
    2e-5,
    0,
    'expmap0(logmap0 x)',
  );
  expectRowsClose(
    rows(() => logmap0(expmap0(toTensor(x), c.k), c.k)),
    x,
    2e-5,
    0,
    'logmap0(expmap0 u)',
  );
});

test.prop([arbCase(0.6)], params)('expmap and logmap are inverse', (c) => {
  const [x, y, u] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  expectRowsClose(
    rows(() => expmap(toTensor(x), logmap(toTensor(x), toTensor(y), c.k), c.k)),
    y,
    5e-5,
    maxNorm(x, y),
    'expmap(x, logmap(x, y))',
  );
  // Tangent u at x of Riemannian length lambda_x |u| <= 2.4 sqrt-radii: logmap recovers it.
  const half = u.map((r) => r.map((v) => Math.fround(v * 0.5)));
  expectRowsClose(
    rows(() => logmap(toTensor(x), expmap(toTensor(x), toTensor(half), c.k), c.k)),
    half,
    1e-4,
    maxNorm(x, half),
    'logmap(x, expmap(x, u))',
  );
});

test.prop([arbCase(0.9)], params)('2 |logmap0 x| = dist0(x) (conformal factor lambda_0 = 2) and dist0(x) = dist(x, 0)', (c) => {
  const x = caseRows(c, 0);
  const twiceLog = scalars(() => tf.mul(2, tf.norm(logmap0(toTensor(x), c.k), 'euclidean', -1)));
  const d0 = scalars(() => dist0(toTensor(x), c.k));
  expectScalarsClose(d0, twiceLog, 1e-5, 1e-12, 'dist0 vs 2|logmap0|');
  const zero = x.map((r) => r.map(() => 0));
  expectScalarsClose(
    scalars(() => dist(toTensor(x), toTensor(zero), c.k)),
    d0,
    1e-5,
    1e-12,
    'dist(x, 0)',
  );
  expectScalarsClose(
    scalars(() => dist(toTensor(zero), toTensor(x), c.k)),
    d0,
    1e-5,
    1e-12,
    'dist(0, x)',
  );
});

test.prop([arbCase(0.9)], params)('dist is symmetric, non-negative and zero on the diagonal', (c) => {
  const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
  const dxy = scalars(() => dist(toTensor(x), toTensor(y), c.k));
  const dyx = scalars(() => dist(toTensor(y), toTensor(x), c.k));
  expectScalarsClose(dyx, dxy, 1e-6, 1e-12, 'symmetry');
  for (const d of dxy) expect(d).toBeGreaterThanOrEqual(0);
  // The norm floor (1e-15) is all that remains on the diagonal.
  for (const d of scalars(() => dist(toTensor(x), toTensor(x), c.k))) expect(d).toBeLessThan(1e-13);
});

test.prop([arbCase(0.9)], params)('triangle inequality d(x, z) <= d(x, y) + d(y, z)', (c) => {
  if (c.k > 0) {
    // On the sphere geodesics wrap: keep the three points within a hemisphere of one another.
    fc.pre(maxNorm(caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)) * Math.sqrt(c.k) < 0.9);
  }
  const [x, y, z] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  const dxz = scalars(() => dist(toTensor(x), toTensor(z), c.k));
  const dxy = scalars(() => dist(toTensor(x), toTensor(y), c.k));
  const dyz = scalars(() => dist(toTensor(y), toTensor(z), c.k));
  dxz.forEach((d, i) => {
    expect(d).toBeLessThanOrEqual((dxy[i]! + dyz[i]!) * (1 + 1e-5) + 1e-12);
  });
});

test.prop([arbCase(0.6)], params)('dist(x, expmap(x, u)) = Riemannian length of u, sqrt(inner(x, u, u))', (c) => {
  const [x, u] = [caseRows(c, 0), caseRows(c, 1)];
  const d = scalars(() => dist(toTensor(x), expmap(toTensor(x), toTensor(u), c.k), c.k));
  const len = scalars(() => tf.sqrt(inner(toTensor(x), toTensor(u), toTensor(u), c.k)));
  // expmap(x, u) rounds to float32 at the scale of x: a tiny u inherits that absolute error (times lambda_x <= 4).
  expectScalarsClose(d, len, 5e-5, 4e-6 * maxNorm(x) + 1e-12, 'geodesic length');
});

test.prop([arbCase(0.6)], params)('parallel transport preserves the Riemannian inner product', (c) => {
  const [x, y, u] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  const v = caseRows({ ...c, seed: c.seed + 1 }, 2);
  const before = scalars(() => inner(toTensor(x), toTensor(u), toTensor(v), c.k));
  const after = scalars(() => {
    const [xt, yt] = [toTensor(x), toTensor(y)];
    return inner(yt, transp(xt, yt, toTensor(u), c.k), transp(xt, yt, toTensor(v), c.k), c.k);
  });
  const scale = scalars(() =>
    tf.sqrt(tf.mul(inner(toTensor(x), toTensor(u), toTensor(u), c.k), inner(toTensor(x), toTensor(v), toTensor(v), c.k))),
  );
  after.forEach((a, i) => {
    expect(Math.abs(a - before[i]!)).toBeLessThanOrEqual(5e-5 * scale[i]! + 1e-12);
  });
});

/** Largest sqrt|k| |row| of a tensor, in float64. */
function maxScaledNorm(t: tf.Tensor, k: number): number {
  return Math.sqrt(Math.abs(k)) * maxNorm(rowsOf(t));
}

const arbBall = fc.record({
  c: arbCase(1.2),
  k: fc.oneof(fc.double({ min: -2, max: -1e-6, noNaN: true }), fc.constantFrom(-1, -2, -1e-4)),
  r: fc.double({ min: -50, max: 50, noNaN: true }),
  big: fc.double({ min: 1, max: 1e6, noNaN: true }),
  learnable: fc.boolean(),
});

test.prop([arbBall], params)('every point a ball (k < 0) method returns stays inside the ball', ({ c, k, r, big, learnable }) => {
  const kVariable = learnable ? tf.variable(tf.scalar(k)) : undefined;
  const ball = new Stereographic(kVariable ?? k);
  const limit = 1 - 4e-3 + 1e-6;
  // Inputs: projected points (norm up to the margin) and tangents up to `big` times the radius.
  const [x, y] = [caseRows({ ...c, k }, 0), caseRows({ ...c, k }, 1)].map((rowsK) => rows(() => ball.project(toTensor(rowsK))));
  const u = caseRows({ ...c, k }, 2).map((row) => row.map((v) => Math.fround(v * big)));
  tf.tidy(() => {
    const [xt, yt, ut] = [toTensor(x!), toTensor(y!), toTensor(u)];
    const w = tf.mul(tf.randomNormal([c.dim, 5], 0, 1, 'float32', c.seed), big);
    const outputs = [
      ball.mobiusAdd(xt, yt),
      ball.mobiusScalarMul(r, xt),
      ball.mobiusMatvec(xt, w),
      ball.expmap0(ut),
      ball.expmap(xt, ut),
      ball.project(ut),
    ];
    outputs.forEach((o) => {
      expect(maxScaledNorm(o, k)).toBeLessThanOrEqual(limit);
      expect(Array.from(o.dataSync()).every(Number.isFinite)).toBe(true);
    });
  });
  kVariable?.dispose();
});
