import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { ManifoldError } from '../errors';
import type { Manifold, ManifoldCheck } from '../manifold';
import { Sphere } from '../sphere/sphere';
import { PoincareBall } from '../stereographic/stereographic';
import { ProductManifold } from './product-manifold';

/** Flat R^n, only for these tests (the package's Euclidean lives in stereographic/). */
class FlatSpace implements Manifold {
  readonly name = 'Flat';
  readonly k = 0;
  project = (x: tf.Tensor) => tf.clone(x);
  egrad2rgrad = (_x: tf.Tensor, g: tf.Tensor) => tf.clone(g);
  expmap = (x: tf.Tensor, u: tf.Tensor) => tf.add(x, u);
  retract = (x: tf.Tensor, u: tf.Tensor) => tf.add(x, u);
  logmap = (x: tf.Tensor, y: tf.Tensor) => tf.sub(y, x);
  // Guarded square root: a finite gradient at x = y, as every manifold in the package has.
  dist = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.sqrt(tf.maximum(tf.sum(tf.square(tf.sub(x, y)), -1), 1e-30)));
  transp = (_x: tf.Tensor, _y: tf.Tensor, v: tf.Tensor) => tf.clone(v);
  inner = (_x: tf.Tensor, u: tf.Tensor, v: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(u, v), -1));
  checkPointOnManifold(x: tf.Tensor): ManifoldCheck {
    return Array.from(x.dataSync()).every(Number.isFinite) ? { ok: true } : { ok: false, reason: 'non-finite entries' };
  }
}

type Vec = number[];
const read = (t: tf.Tensor): Vec => {
  const values = Array.from(t.dataSync());
  t.dispose();
  return values;
};
const maxAbsDiff = (a: Vec, b: Vec) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

const RUNS = { numRuns: 200 };
/** Sphere, flat, optional second sphere and optional Poincare-ball components (dims 1..80), and a batch. */
const productCase = fc
  .record({
    sphereDim: fc.integer({ min: 1, max: 32 }),
    flatDim: fc.integer({ min: 1, max: 16 }),
    secondSphereDim: fc.integer({ min: 0, max: 16 }),
    ballDim: fc.integer({ min: 0, max: 16 }),
    ballCurvature: fc.double({ min: 0.1, max: 2, noNaN: true }),
    k1: fc.double({ min: 0.1, max: 4, noNaN: true }),
    k2: fc.double({ min: 0.1, max: 4, noNaN: true }),
    batch: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
  })
  .map((c) => {
    const components: Array<[Manifold, number]> = [
      [new Sphere(c.k1), c.sphereDim],
      [new FlatSpace(), c.flatDim],
    ];
    if (c.secondSphereDim > 0) components.push([new Sphere(c.k2), c.secondSphereDim]);
    if (c.ballDim > 0) components.push([PoincareBall(c.ballCurvature), c.ballDim]);
    return { ...c, components, dim: c.sphereDim + c.flatDim + c.secondSphereDim + c.ballDim };
  });

/**
 * Random points (projected per component) and a tangent at the first, as [batch, dim] tensors.
 * The draws have scale 0.1 so the ball parts lie well inside the ball (the sphere parts do not care).
 */
function samples(product: ProductManifold, batch: number, seed: number) {
  return tf.tidy(() => {
    const x = product.project(tf.randomNormal([batch, product.dim], 0, 0.1, 'float32', seed));
    const y = product.project(tf.randomNormal([batch, product.dim], 0, 0.1, 'float32', seed + 1));
    const u = tf.mul(product.egrad2rgrad(x, tf.randomNormal([batch, product.dim], 0, 1, 'float32', seed + 2)), 0.3);
    const v = product.egrad2rgrad(x, tf.randomNormal([batch, product.dim], 0, 1, 'float32', seed + 3));
    return { x, y, u, v };
  });
}

/** Apply `op` per component by hand and concatenate. */
function perComponent(components: Array<[Manifold, number]>, inputs: tf.Tensor[], op: (m: Manifold, parts: tf.Tensor[]) => tf.Tensor): Vec {
  return read(
    tf.tidy(() => {
      const dims = components.map(([, d]) => d);
      const split = inputs.map((t) => tf.split(t, dims, -1));
      return tf.concat(
        components.map(([m], i) =>
          op(
            m,
            split.map((s) => s[i]!),
          ),
        ),
        -1,
      );
    }),
  );
}

describe('ProductManifold', () => {
  test.prop([productCase], RUNS)('every op equals the per-component ops, concatenated', ({ components, batch, seed }) => {
    const product = new ProductManifold(components);
    const { x, y, u, v } = samples(product, batch, seed);
    const cases: Array<[string, tf.Tensor[], (m: Manifold, p: tf.Tensor[]) => tf.Tensor]> = [
      ['project', [x], (m, [a]) => m.project(a!)],
      ['egrad2rgrad', [x, v], (m, [a, b]) => m.egrad2rgrad(a!, b!)],
      ['expmap', [x, u], (m, [a, b]) => m.expmap(a!, b!)],
      ['retract', [x, u], (m, [a, b]) => m.retract(a!, b!)],
      ['logmap', [x, y], (m, [a, b]) => m.logmap(a!, b!)],
      ['transp', [x, y, v], (m, [a, b, c]) => m.transp(a!, b!, c!)],
    ];
    for (const [name, inputs, op] of cases) {
      const whole = read(tf.tidy(() => op(product, inputs)));
      expect(maxAbsDiff(whole, perComponent(components, inputs, op)), name).toBeLessThanOrEqual(1e-6);
    }
    expect(product.checkPointOnManifold(x).ok).toBe(true);
    tf.dispose([x, y, u, v]);
  });

  test.prop([productCase], RUNS)(
    'dist = sqrt(sum_i d_i^2), inner = sum_i inner_i; symmetric, zero on the diagonal, triangle inequality',
    ({ components, batch, seed }) => {
      const product = new ProductManifold(components);
      const { x, y, u, v } = samples(product, batch, seed);
      const z = product.project(tf.randomNormal([batch, product.dim], 0, 0.1, 'float32', seed + 4));
      const parts = tf.tidy(() => product.componentDists(x, y).map((d) => tf.stack([d])));
      const partValues = parts.map(read);
      const expected = partValues[0]!.map((_, b) => Math.sqrt(partValues.reduce((s, d) => s + d[b]! ** 2, 0)));
      const d = (p: tf.Tensor, q: tf.Tensor) => read(product.dist(p, q));
      const dxy = d(x, y);
      expect(maxAbsDiff(dxy, expected)).toBeLessThanOrEqual(1e-5 * (1 + Math.max(...expected)));
      expect(maxAbsDiff(d(y, x), dxy)).toBeLessThanOrEqual(1e-5 * (1 + Math.max(...dxy)));
      for (const value of d(x, x)) expect(value).toBeLessThanOrEqual(1e-5);
      const dxz = d(x, z);
      const dyz = d(y, z);
      dxz.forEach((value, b) => {
        expect(value).toBeLessThanOrEqual(dxy[b]! + dyz[b]! + 1e-5 * (1 + value));
      });
      const inner = read(product.inner(x, u, v));
      const innerExpected = read(
        tf.tidy(() =>
          tf.addN(
            components.map(([m], i) => {
              const dims = components.map(([, d]) => d);
              const [xs, us, vs] = [x, u, v].map((t) => tf.split(t, dims, -1));
              return m.inner(xs[i]!, us[i]!, vs[i]!);
            }),
          ),
        ),
      );
      expect(maxAbsDiff(inner, innerExpected)).toBeLessThanOrEqual(1e-5 * (1 + Math.max(...innerExpected.map(Math.abs))));
      tf.dispose([x, y, z, u, v]);
    },
  );

  it('dist has finite gradients matching float64 central differences, also at x = y', () => {
    const product = new ProductManifold([
      { manifold: new Sphere(1), dim: 2 },
      { manifold: new FlatSpace(), dim: 2 },
    ]);
    const x = [0.6, 0.8, 1.5, -2];
    const y = [0, 1, 0.5, 1];
    const dist64 = (p: Vec, q: Vec) => {
      const angle = 2 * Math.atan2(Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!), Math.hypot(p[0]! + q[0]!, p[1]! + q[1]!));
      return Math.sqrt(angle ** 2 + (p[2]! - q[2]!) ** 2 + (p[3]! - q[3]!) ** 2);
    };
    const h = 1e-6;
    const numeric = y.map((_, j) => {
      const plus = y.slice();
      const minus = y.slice();
      plus[j]! += h;
      minus[j]! -= h;
      return (dist64(x, plus) - dist64(x, minus)) / (2 * h);
    });
    const [auto, atDiagonal] = tf.tidy(() => {
      const px = tf.tensor2d([x]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(product.dist(px, t)));
      return [Array.from(g(tf.tensor2d([y])).dataSync()), Array.from(g(tf.tensor2d([x])).dataSync())];
    });
    expect(maxAbsDiff(auto!, numeric)).toBeLessThan(1e-4);
    expect(atDiagonal!.every(Number.isFinite)).toBe(true);
  });

  it('names the failing component and rejects wrong shapes and components', () => {
    const product = new ProductManifold([
      [new Sphere(1), 2],
      [new FlatSpace(), 1],
    ]);
    expect(product.name).toBe('Product(Sphere(k=1)^2 x Flat^1)');
    const off = tf.tensor2d([[3, 0, 1]]);
    const check = product.checkPointOnManifold(off);
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/component 0: Sphere\(k=1\): row 0 has norm 3/);
    expect(() => product.assertOnManifold(off)).toThrow(ManifoldError);
    expect(() => tf.tidy(() => product.dist(tf.zeros([2, 4]), tf.zeros([2, 4])))).toThrow(
      /expected last dim 3 \(2 \+ 1\), got shape \[2, 4\]/,
    );
    expect(() => new ProductManifold([])).toThrow(ManifoldError);
    expect(() => new ProductManifold([[new Sphere(1), 0]])).toThrow(/positive integer dim/);
    expect(Number.isNaN(product.k)).toBe(true);
    off.dispose();
  });

  it('does not leak tensors across repeated calls', () => {
    const product = new ProductManifold([
      [new Sphere(1), 3],
      [new FlatSpace(), 2],
      [new Sphere(2), 4],
    ]);
    const { x, y, u, v } = samples(product, 5, 7);
    const runAll = () => {
      tf.dispose([
        product.project(x),
        product.egrad2rgrad(x, v),
        product.expmap(x, u),
        product.retract(x, u),
        product.logmap(x, y),
        product.transp(x, y, v),
        product.dist(x, y),
        product.inner(x, u, v),
        ...product.componentDists(x, y),
        ...product.split(x),
      ]);
      product.checkPointOnManifold(x);
    };
    runAll();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) runAll();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, u, v]);
  });
});
