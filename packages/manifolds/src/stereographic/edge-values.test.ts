// Values at the edges of the domain: points at 1 - 1e-3 of the ball radius, tiny (1e-7) vectors and
// zero vectors. Results must be finite and close to the float64 closed forms.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import * as ref from './f64-reference';
import * as m from './math';
import { expectRowsClose, expectScalarsClose, makeRows, rowsOf } from './test-support';

type Vec = ref.Vec;
const scalars = (op: () => tf.Tensor): number[] => tf.tidy(() => Array.from(op().dataSync()));
const rows = (op: () => tf.Tensor): Vec[] => tf.tidy(() => rowsOf(op()));
const t2 = (r: Vec[]): tf.Tensor2D => tf.tensor2d(r);
const allFinite = (r: Vec[] | number[]): boolean => r.flat().every(Number.isFinite);

describe('points at 1 - 1e-3 of the ball radius', () => {
  for (const k of [-1, -0.01, -2]) {
    const radius = 1 / Math.sqrt(-k);
    // makeRows scales fractions by NORM_CAP = 1.5 at k = 0; express the norms in radii.
    const at = (seed: number, fraction: number): Vec[] => makeRows(seed, 3, 16, 0, [(fraction * radius) / 1.5]);
    const x = at(1, 0.999);
    const y = at(2, 0.999);
    const inner = at(3, 0.5);

    it(`k = ${k}: dist0, logmap0, lambda match float64 to 1e-4 (float32 keeps ~4 digits of 1 - |x|^2 there)`, () => {
      const kk = Math.fround(k);
      expectScalarsClose(
        scalars(() => m.dist0(t2(x), k)),
        x.map((r) => ref.dist0(r, kk)),
        1e-4,
        0,
        'dist0',
      );
      expectRowsClose(
        rows(() => m.logmap0(t2(x), k)),
        x.map((r) => ref.logmap0(r, kk)),
        1e-4,
        0,
        'logmap0',
      );
      expectScalarsClose(
        scalars(() => m.lambda(t2(x), k, false)),
        x.map((r) => ref.lambda(r, kk)),
        1e-3,
        0,
        'lambda',
      );
      // 2 artanh(0.999) = 7.6 radii: the float32 value is sane, not saturated.
      for (const d of scalars(() => m.dist0(t2(x), k))) expect(d * Math.sqrt(-k)).toBeCloseTo(2 * Math.atanh(0.999), 3);
    });

    it(`k = ${k}: dist between boundary points and to interior points matches float64 to 2e-5`, () => {
      // The factored 1 + k|(-x) (+) y|^2 keeps this at float32 roundoff; artanh of the rounded
      // |(-x) (+) y| (about 1 - 1e-6 here) would be off by 3e-3.
      const kk = Math.fround(k);
      expectScalarsClose(
        scalars(() => m.dist(t2(x), t2(y), k)),
        x.map((r, i) => ref.dist(r, y[i]!, kk)),
        2e-5,
        0,
        'dist boundary',
      );
      expectScalarsClose(
        scalars(() => m.dist(t2(x), t2(inner), k)),
        x.map((r, i) => ref.dist(r, inner[i]!, kk)),
        2e-5,
        0,
        'dist mixed',
      );
    });

    it(`k = ${k}: Moebius ops, maps and transport stay finite and inside the ball`, () => {
      const outs = [
        rows(() => m.mobiusAdd(t2(x), t2(y), k)),
        rows(() => m.mobiusAdd(t2(x), tf.neg(t2(x)), k)),
        rows(() => m.mobiusScalarMul(0.5, t2(x), k)),
        rows(() => m.expmap0(m.logmap0(t2(x), k), k)),
        rows(() => m.expmap(t2(x), t2(inner), k)),
        rows(() => m.logmap(t2(x), t2(y), k)),
        rows(() => m.gyration(t2(x), t2(y), t2(inner), k)),
        rows(() => m.transp(t2(x), t2(y), t2(inner), k)),
        rows(() => m.egrad2rgrad(t2(x), t2(inner), k)),
      ];
      for (const o of outs) expect(allFinite(o)).toBe(true);
      for (const o of [outs[0]!, outs[2]!, outs[3]!, outs[4]!]) {
        for (const r of o) expect(ref.norm(r) / radius).toBeLessThan(1 + 1e-6);
      }
      expectRowsClose(outs[3]!, x, 1e-4, 0, 'expmap0(logmap0 x) at the boundary');
    });
  }
});

describe('tiny (1e-7) vectors', () => {
  for (const k of [-1, 1, -1e-5, 2]) {
    const x = makeRows(4, 2, 8, 0, [1e-7 / 1.5]); // norm 1e-7
    const y = makeRows(5, 2, 8, 0, [1e-7 / 1.5]);

    it(`k = ${k}: logmap0 and dist0 are exact to 1e-6 relative (not 0, as log(1+x) - log(1-x) gives)`, () => {
      const kk = Math.fround(k);
      expectScalarsClose(
        scalars(() => m.dist0(t2(x), k)),
        x.map((r) => ref.dist0(r, kk)),
        1e-6,
        0,
        'dist0 tiny',
      );
      expectRowsClose(
        rows(() => m.logmap0(t2(x), k)),
        x.map((r) => ref.logmap0(r, kk)),
        1e-6,
        0,
        'logmap0 tiny',
      );
      expectRowsClose(
        rows(() => m.expmap0(t2(x), k)),
        x.map((r) => ref.expmap0(r, kk)),
        1e-6,
        0,
        'expmap0 tiny',
      );
      expectScalarsClose(
        scalars(() => m.dist(t2(x), t2(y), k)),
        x.map((r, i) => ref.dist(r, y[i]!, kk)),
        1e-6,
        0,
        'dist tiny',
      );
      expectRowsClose(
        rows(() => m.mobiusScalarMul(3, t2(x), k)),
        x.map((r) => ref.mobiusScalarMul(3, r, kk)),
        1e-6,
        0,
        'scalar mul tiny',
      );
      expectRowsClose(
        rows(() => m.logmap(t2(x), t2(y), k)),
        x.map((r, i) => ref.logmap(r, y[i]!, kk)),
        1e-5,
        0,
        'logmap tiny',
      );
    });
  }
});

describe('zero vectors', () => {
  const zero = [
    [0, 0, 0],
    [0, 0, 0],
  ];
  const x = [
    [0.1, -0.2, 0.3],
    [0.05, 0, -0.1],
  ];
  for (const k of [-1, 0, 1, 1e-7]) {
    it(`k = ${k}: exact zeros / identities, all finite`, () => {
      expect(rows(() => m.mobiusAdd(t2(zero), t2(zero), k))).toEqual(zero);
      expect(rows(() => m.expmap0(t2(zero), k))).toEqual(zero);
      expect(rows(() => m.logmap0(t2(zero), k))).toEqual(zero);
      expect(rows(() => m.mobiusScalarMul(5, t2(zero), k))).toEqual(zero);
      expect(rows(() => m.mobiusMatvec(t2(zero), tf.ones([3, 3]), k))).toEqual(zero);
      expect(rows(() => m.expmap(t2(zero), t2(zero), k))).toEqual(zero);
      expect(
        rows(() => m.logmap(t2(x), t2(x), k))
          .flat()
          .every((v) => Math.abs(v) < 1e-7),
      ).toBe(true);
      expect(rows(() => m.gyration(t2(zero), t2(x), t2(x), k))).toEqual(rows(() => t2(x)));
      for (const d of scalars(() => m.dist0(t2(zero), k))) expect(d).toBeLessThan(1e-14);
      for (const d of scalars(() => m.dist(t2(zero), t2(zero), k))) expect(d).toBeLessThan(1e-14);
      expect(scalars(() => m.lambda(t2(zero), k, false))).toEqual([2, 2]);
      expectRowsClose(
        rows(() => m.transp(t2(zero), t2(x), t2(x), k)),
        x.map((r) => ref.transp([0, 0, 0], r, r, Math.fround(k))),
        1e-6,
        0,
        'transp from 0',
      );
    });
  }
});

describe('the sphere model (k > 0) far from the origin', () => {
  it('is finite at large stereographic coordinates, and dist approaches pi / sqrt(k) at the antipode', () => {
    const k = 1;
    const far = [[1e3, 0]];
    const d = scalars(() => m.dist0(t2(far), k))[0]!;
    expect(d).toBeCloseTo(ref.dist0(far[0]!, k), 5);
    expect(d).toBeLessThan(Math.PI);
    // x and its antipode -x / (k |x|^2): the largest distance there is.
    const a = [[0.5, 0]];
    const antipode = [[-2 + 1e-3, 0]];
    const dd = scalars(() => m.dist(t2(a), t2(antipode), k))[0]!;
    expect(dd).toBeCloseTo(ref.dist(a[0]!, antipode[0]!, k), 3);
  });
});
