// Continuity through k = 0: at k = +-1e-7 every op is within 1e-5 of its Euclidean counterpart, the
// k = 0 member of the family (flat formulas with the conformal factor 2: dist = 2 |x - y|, lambda = 2).
// The curvature is given both as a number and as a tf.Variable (learnable curvature path).
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { arsinK, artanK, sinK, tanK } from './curvature-trig';
import * as ref from './f64-reference';
import * as m from './math';
import { arbDim, expectRowsClose, expectScalarsClose, makeRows, RUNS, rowsOf } from './test-support';

const TOL = 1e-5;
const arbLimitCase = fc.record({
  k: fc.constantFrom(1e-7, -1e-7),
  asVariable: fc.boolean(),
  dim: arbDim,
  batch: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  r: fc.double({ min: -3, max: 3, noNaN: true }),
});

test.prop([arbLimitCase], { numRuns: RUNS })('at k = +-1e-7 every op is within 1e-5 of the flat (k = 0) formulas', (c) => {
  const [x, y, v] = [0, 1, 2].map((i) => makeRows(c.seed + i, c.batch, c.dim, 0, [0.3 + 0.4 * i]));
  const r = Math.fround(c.r);
  tf.tidy(() => {
    const k: number | tf.Tensor = c.asVariable ? tf.variable(tf.scalar(c.k)) : c.k;
    const [xt, yt, vt] = [x!, y!, v!].map((b) => tf.tensor2d(b));
    const w = tf.tensor2d(Array.from({ length: c.dim }, (_, i) => [Math.sin(i + 1), Math.cos(i) / 2]));
    const close = (t: tf.Tensor, expected: ref.Vec[], label: string): void => expectRowsClose(rowsOf(t), expected, TOL, 1, label);
    const zip = (f: (a: ref.Vec, b: ref.Vec, i: number) => ref.Vec): ref.Vec[] => x!.map((xi, i) => f(xi, y![i]!, i));
    close(
      m.mobiusAdd(xt!, yt!, k),
      zip((a, b) => ref.addV(a, b)),
      'mobiusAdd',
    );
    close(
      m.mobiusScalarMul(r, xt!, k),
      x!.map((a) => ref.scaleV(r, a)),
      'mobiusScalarMul',
    );
    close(
      m.mobiusMatvec(xt!, w, k),
      x!.map((a) => ref.matvec(a, w.arraySync() as number[][])),
      'mobiusMatvec',
    );
    close(m.expmap0(xt!, k), x!, 'expmap0');
    close(m.logmap0(xt!, k), x!, 'logmap0');
    close(
      m.expmap(xt!, yt!, k),
      zip((a, b) => ref.addV(a, b)),
      'expmap',
    );
    close(
      m.logmap(xt!, yt!, k),
      zip((a, b) => ref.subV(b, a)),
      'logmap',
    );
    close(m.project(xt!, k), x!, 'project');
    close(
      m.egrad2rgrad(xt!, yt!, k),
      y!.map((b) => ref.scaleV(0.25, b)),
      'egrad2rgrad',
    );
    close(m.gyration(xt!, yt!, vt!, k), v!, 'gyration');
    close(m.transp(xt!, yt!, vt!, k), v!, 'transp');
    close(m.transp0(yt!, vt!, k), v!, 'transp0');
    close(m.transp0back(xt!, vt!, k), v!, 'transp0back');
    close(tanK(xt!, k), x!, 'tanK');
    close(artanK(xt!, k), x!, 'artanK');
    close(sinK(xt!, k), x!, 'sinK');
    close(arsinK(xt!, k), x!, 'arsinK');
    const scalars = (t: tf.Tensor): number[] => Array.from(t.dataSync());
    expectScalarsClose(scalars(m.dist(xt!, yt!, k)), zip((a, b) => [2 * ref.norm(ref.subV(a, b))]).flat(), TOL, TOL, 'dist');
    expectScalarsClose(
      scalars(m.dist0(xt!, k)),
      x!.map((a) => 2 * ref.norm(a)),
      TOL,
      TOL,
      'dist0',
    );
    expectScalarsClose(
      scalars(m.lambda(xt!, k, false)),
      x!.map(() => 2),
      TOL,
      0,
      'lambda',
    );
    expectScalarsClose(scalars(m.inner(xt!, yt!, vt!, k)), zip((_, b, i) => [4 * ref.dot(b, v![i]!)]).flat(), TOL, TOL, 'inner');
    if (typeof k !== 'number') k.dispose();
  });
});
