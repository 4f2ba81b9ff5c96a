// Moebius matvec (paper Eq. 7, row convention x . W with W of shape [in, out]).
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

import type { Vec } from './f64-reference';
import { expmap0, logmap0, mobiusMatvec, mobiusScalarMul } from './math';
import { arbCase, caseRows, expectRowsClose, RUNS, rowsOf, toTensor } from './test-support';

const params = { numRuns: RUNS };

function rows(op: () => tf.Tensor): Vec[] {
  return tf.tidy(() => rowsOf(op()));
}

test.prop([arbCase(0.9)], params)('mobiusMatvec(x, I) = x', (c) => {
  const x = caseRows(c, 0);
  expectRowsClose(
    rows(() => mobiusMatvec(toTensor(x), tf.eye(c.dim), c.k)),
    x,
    2e-5,
    0,
    'matvec identity',
  );
});

test.prop([arbCase(0.3), fc.double({ min: -2, max: 2, noNaN: true }), fc.integer({ min: 1, max: 64 })], params)(
  'matvec commutes with scalar multiplication: M(r (x) x) = r (x) M(x)',
  (c, r, out) => {
    const x = caseRows(c, 0);
    // Orthonormal-ish scaled W keeps |xW| ~ |x|, so both sides stay well inside the ball / away from tan poles.
    const w = tf.tidy(() => tf.mul(tf.randomNormal([c.dim, out], 0, 1, 'float32', c.seed), 1 / Math.sqrt(c.dim + out)));
    const lhs = rows(() => mobiusMatvec(mobiusScalarMul(r, toTensor(x), c.k), w, c.k));
    const rhs = rows(() => mobiusScalarMul(r, mobiusMatvec(toTensor(x), w, c.k), c.k));
    w.dispose();
    expectRowsClose(lhs, rhs, 5e-5, 0, 'matvec / scalar mul');
  },
);

test.prop([arbCase(0.7), fc.integer({ min: 1, max: 64 })], params)('mobiusMatvec(x, W) = expmap0(logmap0(x) . W)', (c, out) => {
  const x = caseRows(c, 0);
  const w = tf.tidy(() => tf.mul(tf.randomNormal([c.dim, out], 0, 1, 'float32', c.seed + 1), 0.5 / Math.sqrt(c.dim)));
  const lhs = rows(() => mobiusMatvec(toTensor(x), w, c.k));
  const rhs = rows(() => expmap0(tf.matMul(logmap0(toTensor(x), c.k), w), c.k));
  w.dispose();
  expectRowsClose(lhs, rhs, 3e-5, 0, 'matvec vs exp0 . W . log0');
});

test.prop([arbCase(0.9)], params)('zero output: W = 0, or a row x = 0, gives exact zero rows', (c) => {
  const x = caseRows(c, 0);
  const zeroW = tf.zeros([c.dim, 3]);
  for (const row of rows(() => mobiusMatvec(toTensor(x), zeroW, c.k))) {
    for (const v of row) expect(v).toBe(0);
  }
  zeroW.dispose();
  const withZeroRow = [x[0]!.map(() => 0), ...x];
  const w = tf.tidy(() => tf.randomNormal([c.dim, 4], 0, 1, 'float32', c.seed));
  const out = rows(() => mobiusMatvec(toTensor(withZeroRow), w, c.k));
  w.dispose();
  for (const v of out[0]!) expect(v).toBe(0);
  expect(out.slice(1).flat().every(Number.isFinite)).toBe(true);
});

it('zero output: gradients with respect to x and W are finite (W = 0, x = 0, both)', () => {
  const x = tf.tensor2d([
    [0.3, -0.2, 0.1],
    [0, 0, 0],
  ]);
  const w = tf.tensor2d([
    [0.5, -1],
    [0.2, 0.3],
    [1, 0],
  ]);
  const zeroW = tf.zerosLike(w);
  for (const k of [-1, 0, 1, -1e-7]) {
    for (const [xs, ws] of [
      [x, zeroW],
      [tf.zerosLike(x), w],
      [x, w],
    ] as const) {
      const grads = tf.tidy(() =>
        tf
          .grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(mobiusMatvec(a, b, k)))([xs, ws])
          .map((g) => Array.from(g.dataSync())),
      );
      expect(grads.flat().every(Number.isFinite)).toBe(true);
    }
  }
  tf.dispose([x, w, zeroW]);
});

it('zero output for some rows only: W whose columns kill one input direction', () => {
  const x = tf.tensor2d([
    [0, 0.3],
    [0.2, 0.1],
  ]);
  const w = tf.tensor2d([
    [0.5, -1, 2],
    [0, 0, 0],
  ]);
  for (const k of [-1, 0, 1, -1e-7]) {
    const out = rows(() => mobiusMatvec(x, w, k));
    expect(out[0]).toEqual([0, 0, 0]);
    expect(out[1]!.every((v) => v !== 0 && Number.isFinite(v))).toBe(true);
  }
  tf.dispose([x, w]);
});
