// Stable artanh / arsinh / tanh / norms, and the curvature trigonometry (tan_k, artan_k, sin_k, arsin_k).
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { MIN_SQ_NORM } from './constants';
import { arsinK, artanK, sinK, tanK } from './curvature-trig';
import { arsinh, artanh, clampedTanh, guardedNorm, rowDot, scaleRows, sqNorm } from './elementary';
import * as ref from './f64-reference';
import { arbK, RUNS } from './test-support';

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
const on = (f: (t: tf.Tensor) => tf.Tensor, xs: number[]): number[] => tf.tidy(() => values(f(tf.tensor1d(xs))));
const gradOn = (f: (t: tf.Tensor) => tf.Tensor, xs: number[]): number[] =>
  tf.tidy(() => values(tf.grad((t: tf.Tensor) => tf.sum(f(t)))(tf.tensor1d(xs))));

function expectRel(got: number[], want: number[], rtol: number): void {
  got.forEach((g, i) => {
    const w = want[i]!;
    if (!(Math.abs(g - w) <= rtol * Math.abs(w))) throw new Error(`entry ${i}: got ${g}, want ${w}`);
  });
}

describe('arsinh', () => {
  it('keeps every digit for large negative arguments: asinh(-1000) (geoopt gives -7.6246)', () => {
    expectRel(on(arsinh, [-1000, -1e6, -1e20, 1e30]), [Math.asinh(-1000), Math.asinh(-1e6), Math.asinh(-1e20), Math.asinh(1e30)], 2e-7);
  });
  it('is relatively exact for tiny arguments and odd', () => {
    const xs = [1e-30, -1e-20, 1e-7, -3e-4, 0.5, -2];
    expectRel(
      on(arsinh, xs),
      xs.map((x) => Math.asinh(Math.fround(x))),
      2e-7,
    );
    expect(on(arsinh, [0])).toEqual([0]);
  });
  test.prop([fc.float({ min: -1e6, max: 1e6, noNaN: true })], { numRuns: RUNS })('matches Math.asinh to 2e-7 relative', (x) => {
    expectRel(on(arsinh, [x]), [Math.asinh(x)], 2e-7);
  });
  it('has gradient 1 / sqrt(1 + x^2), exactly 1 at 0', () => {
    const xs = [0, 1e-8, -3, 1000];
    expectRel(
      gradOn(arsinh, xs),
      xs.map((x) => 1 / Math.sqrt(1 + x * x)),
      1e-6,
    );
  });
});

describe('artanh', () => {
  it('is relatively exact for tiny arguments, odd, and clamped at 1 - 1e-7', () => {
    const xs = [1e-30, -1e-8, 1e-4, -0.5, 0.999];
    expectRel(
      on(artanh, xs),
      xs.map((x) => Math.atanh(Math.fround(x))),
      2e-7,
    );
    const clamped = on(artanh, [1, -1, 5]);
    expect(clamped.every(Number.isFinite)).toBe(true);
    expectRel(clamped, [Math.atanh(Math.fround(1 - 1e-7)), -Math.atanh(Math.fround(1 - 1e-7)), Math.atanh(Math.fround(1 - 1e-7))], 1e-6);
  });
  test.prop([fc.float({ min: Math.fround(-0.9999), max: Math.fround(0.9999), noNaN: true })], { numRuns: RUNS })(
    'matches Math.atanh to 1e-6 relative',
    (x) => {
      expectRel(on(artanh, [x]), [Math.atanh(x)], 1e-6);
    },
  );
  it('has gradient 1 / (1 - x^2), exactly 1 at 0, finite at the clamp', () => {
    const xs = [0, 0.5, -0.99];
    expectRel(
      gradOn(artanh, xs),
      xs.map((x) => 1 / (1 - Math.fround(x) ** 2)),
      1e-6,
    );
    expect(gradOn(artanh, [1, -1]).every(Number.isFinite)).toBe(true);
  });
});

describe('clampedTanh and guardedNorm', () => {
  it('clampedTanh saturates without NaN and has finite gradients', () => {
    expect(on(clampedTanh, [-1e30, -20, 0, 0.5, 1e30])).toEqual([-1, -1, 0, Math.fround(Math.tanh(0.5)), 1]);
    expect(gradOn(clampedTanh, [-1e30, 0, 1e30]).every(Number.isFinite)).toBe(true);
  });
  it('guardedNorm has a finite (zero) gradient at the zero vector, unlike tf.norm', () => {
    const g = tf.tidy(() => values(tf.grad((x: tf.Tensor) => tf.sum(guardedNorm(x)))(tf.zeros([2, 3]))));
    expect(g).toEqual([0, 0, 0, 0, 0, 0]);
    const n = tf.tidy(() =>
      values(
        guardedNorm(
          tf.tensor2d([
            [3, 4],
            [1e-7, 0],
          ]),
          false,
        ),
      ),
    );
    expectRel(n, [5, Math.fround(1e-7)], 1e-7);
  });
  it('guardedNorm with an axis is exactly sqrt(max(sum(square(x), axis), MIN_SQ_NORM)), rows and columns', () => {
    // The formula geo-layers' own norms.ts computed before it used this helper: trained models must
    // reproduce bit for bit, so equality here is exact, not approximate.
    const x = tf.randomNormal([37, 53], 0, 3, 'float32', 5);
    for (const axis of [-1, 0]) {
      const got = tf.tidy(() => values(guardedNorm(x, true, axis)));
      const want = tf.tidy(() => values(tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), MIN_SQ_NORM))));
      expect(got).toEqual(want);
    }
    const columns = tf.tidy(() => guardedNorm(x, true, 0).shape);
    expect(columns).toEqual([1, 53]);
    expect(tf.tidy(() => guardedNorm(x, false, 0).shape)).toEqual([53]);
    const g = tf.tidy(() => values(tf.grad((w: tf.Tensor) => tf.sum(guardedNorm(w, true, 0)))(tf.zeros([2, 3]))));
    expect(g).toEqual([0, 0, 0, 0, 0, 0]);
    x.dispose();
  });
});

describe('tan_k, artan_k, sin_k, arsin_k', () => {
  const fns = [
    ['tanK', tanK, ref.tanK],
    ['artanK', artanK, ref.artanK],
    ['sinK', sinK, ref.sinK],
    ['arsinK', arsinK, ref.arsinK],
  ] as const;
  for (const [name, f32Fn, f64Fn] of fns) {
    test.prop([arbK, fc.array(fc.double({ min: -0.9, max: 0.9, noNaN: true }), { minLength: 1, maxLength: 8 })], { numRuns: RUNS })(
      `${name} matches the float64 closed form to 1e-5 relative, |sqrt(k) x| <= 0.9 and |x| <= 1.5`,
      (k, fractions) => {
        const kk = Math.fround(k);
        const scale = kk === 0 ? 1.5 : Math.min(1.5, 1 / Math.sqrt(Math.abs(kk)));
        const xs = fractions.map((f) => Math.fround(f * scale));
        expectRel(
          on((t) => f32Fn(t, kk), xs),
          xs.map((x) => f64Fn(x, kk)),
          1e-5,
        );
      },
    );
  }

  it('are continuous through k = 0: the series side and the closed-form side agree at the switch', () => {
    // SERIES_THRESHOLD = 1e-2 in k x^2: evaluate just below and just above it for both signs.
    for (const [, f32Fn, f64Fn] of fns) {
      for (const k of [0.00999, 0.01001, -0.00999, -0.01001]) {
        expectRel(
          on((t) => f32Fn(t, k), [1]),
          [f64Fn(1, Math.fround(k))],
          3e-7,
        );
      }
    }
  });

  it('a tensor curvature gives the same values as a number', () => {
    for (const [, f32Fn] of fns) {
      for (const k of [-1.5, -1e-5, 0, 1e-5, 0.8]) {
        const xs = [0.3, -0.2, 1e-7, 0];
        const kt = tf.scalar(k);
        expectRel(
          on((t) => f32Fn(t, kt), xs),
          on((t) => f32Fn(t, k), xs),
          1e-6,
        );
        kt.dispose();
      }
    }
  });
});

describe('row reductions and row scaling (batched-matMul fast paths)', () => {
  it('rowDot, sqNorm and scaleRows equal sum(x * y), sum(x^2) and coef * x, with the same gradients', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
      const y = tf.randomNormal([5, 7], 0, 1, 'float32', 2);
      const c = tf.randomNormal([5, 1], 0, 1, 'float32', 3);
      expectRel(values(rowDot(x, y)), values(tf.sum(tf.mul(x, y), -1, true)), 1e-5);
      expectRel(values(sqNorm(x)), values(tf.sum(tf.square(x), -1, true)), 1e-6);
      expectRel(values(scaleRows(c, x)), values(tf.mul(c, x)), 1e-7);
      const fast = tf.grads((a: tf.Tensor, b: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(scaleRows(k, a), rowDot(a, b))))([x, y, c]);
      const slow = tf.grads((a: tf.Tensor, b: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(tf.mul(k, a), tf.sum(tf.mul(a, b), -1, true))))([
        x,
        y,
        c,
      ]);
      fast.forEach((g, i) => {
        expectRel(values(g), values(slow[i]!), 1e-4);
      });
      // Broadcasting shapes ([1, d] against [n, d]) take the generic path.
      expectRel(values(rowDot(tf.ones([1, 7]), x)), values(tf.sum(x, -1, true)), 1e-5);
    });
  });
});
