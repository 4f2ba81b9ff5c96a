// Every op of math.ts against the float64 plain-JS closed forms of f64-reference.ts, at 1e-5 relative,
// on well-conditioned points (sqrt|k| |x| <= 0.7), for k in [-2, 2] including |k| < 1e-4 and dims 1..64.
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';

import * as ref from './f64-reference';
import * as m from './math';
import { arbCase, caseRows, expectRowsClose, expectScalarsClose, f32, maxNorm, RUNS, rowsOf, toTensor } from './test-support';

const RTOL = 1e-5;
const WELL = 0.7;

/** Run op on tensors made of the case's blocks and return the output rows; no tensors escape. */
function run(blocks: ref.Vec[][], op: (...t: tf.Tensor[]) => tf.Tensor): ref.Vec[] {
  return tf.tidy(() => rowsOf(op(...blocks.map(toTensor))));
}

function runScalars(blocks: ref.Vec[][], op: (...t: tf.Tensor[]) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(op(...blocks.map(toTensor)).dataSync()));
}

const params = { numRuns: RUNS };

test.prop([arbCase(WELL)], params)('mobiusAdd matches the float64 closed form', (c) => {
  const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
  const kk = f32(c.k);
  const got = run([x, y], (a, b) => m.mobiusAdd(a!, b!, c.k));
  expectRowsClose(
    got,
    x.map((xi, i) => ref.mobiusAdd(xi, y[i]!, kk)),
    RTOL,
    maxNorm(x, y),
    'mobiusAdd',
  );
});

test.prop([arbCase(WELL), fc.double({ min: -3, max: 3, noNaN: true })], params)(
  'mobiusScalarMul matches the float64 closed form',
  (c, r) => {
    const x = caseRows(c, 0);
    const kk = f32(c.k);
    const rr = f32(r);
    // Keep r (x) x well-conditioned too: its tangent length |r| artan_k(|x|) stays below 1.2 / sqrt|k|.
    fc.pre(Math.abs(rr) * ref.artanK(maxNorm(x), kk) * Math.sqrt(Math.abs(kk)) < 1.2);
    const got = run([x], (a) => m.mobiusScalarMul(rr, a!, c.k));
    expectRowsClose(
      got,
      x.map((xi) => ref.mobiusScalarMul(rr, xi, kk)),
      RTOL,
      0,
      'mobiusScalarMul',
    );
  },
);

test.prop([arbCase(WELL), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 1000 })], params)(
  'mobiusMatvec (x . W, W [in, out]) matches the float64 closed form',
  (c, out, seed) => {
    const x = caseRows(c, 0);
    const w = Array.from({ length: c.dim }, (_, i) =>
      Array.from({ length: out }, (_, j) => f32(Math.sin(seed + 13 * i + 7 * j) / Math.sqrt(c.dim))),
    );
    const kk = f32(c.k);
    const expected = x.map((xi) => ref.mobiusMatvec(xi, w, kk));
    fc.pre(expected.every((e) => Math.sqrt(Math.abs(kk)) * Math.hypot(...e) < 0.9 || kk > 0));
    const got = tf.tidy(() => rowsOf(m.mobiusMatvec(toTensor(x), tf.tensor2d(w), c.k)));
    expectRowsClose(got, expected, RTOL, 0, 'mobiusMatvec');
  },
);

test.prop([arbCase(WELL)], params)('expmap0 and logmap0 match the float64 closed forms', (c) => {
  const x = caseRows(c, 0);
  const kk = f32(c.k);
  expectRowsClose(
    run([x], (a) => m.logmap0(a!, c.k)),
    x.map((xi) => ref.logmap0(xi, kk)),
    RTOL,
    0,
    'logmap0',
  );
  // Tangent vectors of length up to 0.7 / sqrt|k| (or 1.05): tan_k is far from its pole there.
  expectRowsClose(
    run([x], (a) => m.expmap0(a!, c.k)),
    x.map((xi) => ref.expmap0(xi, kk)),
    RTOL,
    0,
    'expmap0',
  );
});

test.prop([arbCase(WELL)], params)('expmap and logmap match the float64 closed forms', (c) => {
  const x = caseRows(c, 0);
  const u = caseRows(c, 1).map((row) => row.map((v) => f32(v * 0.5)));
  const y = caseRows(c, 2);
  const kk = f32(c.k);
  expectRowsClose(
    run([x, u], (a, b) => m.expmap(a!, b!, c.k)),
    x.map((xi, i) => ref.expmap(xi, u[i]!, kk)),
    RTOL,
    maxNorm(x, u),
    'expmap',
  );
  expectRowsClose(
    run([x, y], (a, b) => m.logmap(a!, b!, c.k)),
    x.map((xi, i) => ref.logmap(xi, y[i]!, kk)),
    RTOL,
    0,
    'logmap',
  );
});

test.prop([arbCase(WELL)], params)('dist and dist0 match the float64 closed forms (paper Eq. 6)', (c) => {
  const [x, y] = [caseRows(c, 0), caseRows(c, 1)];
  const kk = f32(c.k);
  expectScalarsClose(
    runScalars([x, y], (a, b) => m.dist(a!, b!, c.k)),
    x.map((xi, i) => ref.dist(xi, y[i]!, kk)),
    RTOL,
    1e-12,
    'dist',
  );
  expectScalarsClose(
    runScalars([x], (a) => m.dist0(a!, c.k)),
    x.map((xi) => ref.dist0(xi, kk)),
    RTOL,
    1e-12,
    'dist0',
  );
});

test.prop([arbCase(WELL)], params)('lambda, egrad2rgrad and inner match the float64 closed forms', (c) => {
  const [x, u, v] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  const kk = f32(c.k);
  expectScalarsClose(
    runScalars([x], (a) => m.lambda(a!, c.k, false)),
    x.map((xi) => ref.lambda(xi, kk)),
    RTOL,
    0,
    'lambda',
  );
  expectRowsClose(
    run([x, u], (a, b) => m.egrad2rgrad(a!, b!, c.k)),
    x.map((xi, i) => ref.egrad2rgrad(xi, u[i]!, kk)),
    RTOL,
    0,
    'egrad2rgrad',
  );
  const scale = x.map((xi, i) => ref.lambda(xi, kk) ** 2 * ref.norm(u[i]!) * ref.norm(v[i]!));
  const got = runScalars([x, u, v], (a, b, d) => m.inner(a!, b!, d!, c.k));
  x.forEach((xi, i) => {
    expectScalarsClose([got[i]!], [ref.inner(xi, u[i]!, v[i]!, kk)], 0, RTOL * scale[i]! + 1e-30, 'inner');
  });
});

test.prop([arbCase(WELL)], params)('gyration and parallel transport match the float64 closed forms', (c) => {
  const [x, y, v] = [caseRows(c, 0), caseRows(c, 1), caseRows(c, 2)];
  const kk = f32(c.k);
  expectRowsClose(
    run([x, y, v], (a, b, d) => m.gyration(a!, b!, d!, c.k)),
    x.map((xi, i) => ref.gyration(xi, y[i]!, v[i]!, kk)),
    RTOL,
    maxNorm(v),
    'gyration',
  );
  expectRowsClose(
    run([x, y, v], (a, b, d) => m.transp(a!, b!, d!, c.k)),
    x.map((xi, i) => ref.transp(xi, y[i]!, v[i]!, kk)),
    RTOL,
    0,
    'transp',
  );
  const zero = x.map((row) => row.map(() => 0));
  expectRowsClose(
    run([y, v], (b, d) => m.transp0(b!, d!, c.k)),
    y.map((yi, i) => ref.transp(zero[i]!, yi, v[i]!, kk)),
    RTOL,
    0,
    'transp0',
  );
  expectRowsClose(
    run([x, v], (a, d) => m.transp0back(a!, d!, c.k)),
    x.map((xi, i) => ref.transp(xi, zero[i]!, v[i]!, kk)),
    RTOL,
    0,
    'transp0back',
  );
});

test.prop([arbCase(1.4)], params)('project matches the float64 radial clip (ball) and is the identity for k >= 0', (c) => {
  const x = caseRows(c, 0);
  const kk = f32(c.k);
  expectRowsClose(
    run([x], (a) => m.project(a!, c.k)),
    x.map((xi) => ref.project(xi, kk, 4e-3)),
    RTOL,
    0,
    'project',
  );
});
