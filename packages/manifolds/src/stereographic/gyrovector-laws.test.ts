// Gyrovector-space laws of Moebius addition and scalar multiplication (Ungar), as fast-check properties
// over k in [-2, 2] (including |k| < 1e-4), dims 1..64. geoopt tests the first five; it tests neither
// gyro-associativity nor the automorphic inverse in this form.
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';

import type { Vec } from './f64-reference';
import { gyration, mobiusAdd, mobiusScalarMul } from './math';
import { arbCase, caseRows, expectRowsClose, maxNorm, RUNS, rowsOf, toTensor } from './test-support';

/** float32 compositions of a few Moebius ops: a few ulps per op, amplified by 1 / (1 + k|x|^2)-type factors. */
const RTOL = 2e-5;
const params = { numRuns: RUNS };
const arbR = fc.double({ min: -2, max: 2, noNaN: true });

function rows(op: () => tf.Tensor): Vec[] {
  return tf.tidy(() => rowsOf(op()));
}

test.prop([arbCase(0.7)], params)('0 (+) x = x and x (+) 0 = x', (c) => {
  const x = caseRows(c, 0);
  const zero = x.map((r) => r.map(() => 0));
  expectRowsClose(
    rows(() => mobiusAdd(toTensor(zero), toTensor(x), c.k)),
    x,
    1e-6,
    0,
    '0 (+) x',
  );
  expectRowsClose(
    rows(() => mobiusAdd(toTensor(x), toTensor(zero), c.k)),
    x,
    1e-6,
    0,
    'x (+) 0',
  );
});

test.prop([arbCase(0.7)], params)('(-x) (+) x = 0', (c) => {
  const x = caseRows(c, 0);
  const zero = x.map((r) => r.map(() => 0));
  const got = rows(() => mobiusAdd(tf.neg(toTensor(x)), toTensor(x), c.k));
  expectRowsClose(got, zero, RTOL, maxNorm(x), '(-x) (+) x');
});

test.prop([arbCase(0.7)], params)('left cancellation (-x) (+) (x (+) y) = y', (c) => {
  const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
  const got = rows(() => {
    const xt = toTensor(x);
    return mobiusAdd(tf.neg(xt), mobiusAdd(xt, toTensor(y), c.k), c.k);
  });
  expectRowsClose(got, y, RTOL, maxNorm(x, y), 'left cancellation');
});

test.prop([arbCase(0.7)], params)('automorphic inverse (-b) (+) (-a) = -(b (+) a)', (c) => {
  const [a, b] = [caseRows(c, 0), caseRows(c, 1)];
  const lhs = rows(() => mobiusAdd(tf.neg(toTensor(b)), tf.neg(toTensor(a)), c.k));
  const rhs = rows(() => tf.neg(mobiusAdd(toTensor(b), toTensor(a), c.k)));
  expectRowsClose(lhs, rhs, RTOL, maxNorm(a, b), 'automorphic inverse');
});

test.prop([arbCase(0.7)], params)('gyro-associativity x (+) (y (+) z) = (x (+) y) (+) gyr[x, y] z', (c) => {
  const [x, y, z] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  const lhs = rows(() => mobiusAdd(toTensor(x), mobiusAdd(toTensor(y), toTensor(z), c.k), c.k));
  const rhs = rows(() => {
    const [xt, yt] = [toTensor(x), toTensor(y)];
    return mobiusAdd(mobiusAdd(xt, yt, c.k), gyration(xt, yt, toTensor(z), c.k), c.k);
  });
  expectRowsClose(lhs, rhs, 5e-5, maxNorm(x, y, z), 'gyro-associativity');
});

test.prop([arbCase(0.3), fc.integer({ min: 1, max: 4 })], params)('n-fold x (+) ... (+) x = n (x) x', (c, n) => {
  const x = caseRows(c, 0);
  const sum = rows(() => {
    const xt = toTensor(x);
    let acc: tf.Tensor = xt;
    for (let i = 1; i < n; i += 1) acc = mobiusAdd(acc, xt, c.k);
    return acc;
  });
  const scaled = rows(() => mobiusScalarMul(n, toTensor(x), c.k));
  expectRowsClose(sum, scaled, 5e-5, maxNorm(x), 'n-fold addition');
});

test.prop([arbCase(0.3), arbR, arbR], params)('scalar associativity (r s) (x) x = r (x) (s (x) x)', (c, r, s) => {
  const x = caseRows(c, 0);
  const lhs = rows(() => mobiusScalarMul(Math.fround(r * s), toTensor(x), c.k));
  const rhs = rows(() => mobiusScalarMul(r, mobiusScalarMul(s, toTensor(x), c.k), c.k));
  expectRowsClose(lhs, rhs, 5e-5, 0, 'scalar associativity');
});

test.prop([arbCase(0.3), arbR, arbR], params)('scalar distributivity (r + s) (x) x = (r (x) x) (+) (s (x) x)', (c, r, s) => {
  const x = caseRows(c, 0);
  const lhs = rows(() => mobiusScalarMul(Math.fround(r + s), toTensor(x), c.k));
  const rhs = rows(() => {
    const xt = toTensor(x);
    return mobiusAdd(mobiusScalarMul(r, xt, c.k), mobiusScalarMul(s, xt, c.k), c.k);
  });
  expectRowsClose(lhs, rhs, 5e-5, maxNorm(x), 'distributivity');
});
