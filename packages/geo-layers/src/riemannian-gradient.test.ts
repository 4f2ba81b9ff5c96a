// Issue 14, item 3: the released Riemannian gradient through the Poincare map (hyptorch's
// RiemannianGradient): forward unchanged, backward = incoming gradient times (1 - c ||y||^2)^2 / 4 at
// the mapped point y, c = -k. Checked against that formula with the map's Jacobian in float64, and the
// default backward pass against float64 finite differences.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { buildGeoModel, git } from './heads';
import { loadModel, saveModel } from './model-io';
import { ProductEmbedding } from './product-embedding';
import { dot, expectClose, expectNoLeak, expmap0_64, type Matrix, norm, randomMatrix, toMatrix } from './test-support';
import { ToPoincare } from './to-poincare';

const K = -0.8;
const C = -K;
/** Rows whose expmap0 stays inside the clip radius (sqrt(c) ||x|| < artanh(1 - xi)), so the map is expmap0 alone. */
const rows = randomMatrix(5, 4, 21, 1);
/** The incoming gradient dL/dy (a fixed random projection of the output). */
const upstream = randomMatrix(5, 4, 22, 1);

/** J(x)^T g for y = expmap0(x) = tanh(sqrt(c) r) x / (sqrt(c) r), r = ||x||, in float64 (J is symmetric). */
function expmap0Vjp64(x: number[], g: number[]): number[] {
  const r = norm(x);
  const sc = Math.sqrt(C);
  const t = Math.tanh(sc * r);
  const f = t / (sc * r); // y = f x
  const df = (sc * (1 - t * t) * r - t) / (sc * r * r); // d f / d r
  const xg = dot(x, g);
  return x.map((xi, i) => f * g[i]! + (df / r) * xi * xg);
}

/** The released factor (1 - c ||y||^2)^2 / 4 at y = expmap0(x), in float64. */
function releasedScale64(x: number[]): number {
  const y = expmap0_64(x, C);
  return (1 - C * dot(y, y)) ** 2 / 4;
}

/** Gradient of sum(upstream * layer(x)) with respect to x. */
function layerGradient(layer: ToPoincare, x: Matrix = rows): Matrix {
  return tf.tidy(() => {
    const g = tf.tensor2d(upstream);
    return toMatrix(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.apply(t) as tf.Tensor, g)))(tf.tensor2d(x)));
  });
}

describe('riemannianGradient (hyptorch RiemannianGradient)', () => {
  it('leaves the forward pass unchanged', () => {
    const run = (riemannianGradient: boolean) =>
      tf.tidy(() => toMatrix(new ToPoincare({ k: K, mode: 'expmap0', riemannianGradient }).apply(tf.tensor2d(rows)) as tf.Tensor));
    expect(run(true)).toEqual(run(false));
  });

  it("default: the gradient is the map's own, matching float64 finite differences", () => {
    const h = 1e-6;
    const loss64 = (x: Matrix) => x.reduce((s, row, i) => s + dot(expmap0_64(row, C), upstream[i]!), 0);
    const numeric = rows.map((row, i) =>
      row.map((_, j) => {
        const plus = rows.map((r, a) => r.map((v, b) => (a === i && b === j ? v + h : v)));
        const minus = rows.map((r, a) => r.map((v, b) => (a === i && b === j ? v - h : v)));
        return (loss64(plus) - loss64(minus)) / (2 * h);
      }),
    );
    expectClose(layerGradient(new ToPoincare({ k: K, mode: 'expmap0' })), numeric, 1e-5);
    // The closed-form Jacobian used below agrees with the finite differences too.
    expectClose(
      rows.map((row, i) => expmap0Vjp64(row, upstream[i]!)),
      numeric,
      1e-7,
    );
  });

  it('on: the incoming gradient is multiplied by (1 - c ||y||^2)^2 / 4 at the mapped point', () => {
    const expected = rows.map((row, i) =>
      expmap0Vjp64(
        row,
        upstream[i]!.map((g) => g * releasedScale64(row)),
      ),
    );
    const actual = layerGradient(new ToPoincare({ k: K, mode: 'expmap0', riemannianGradient: true }));
    expectClose(actual, expected, 1e-5);
    // ... which is not the default gradient (the factor is between 0 and 1/4 inside the ball).
    const byDefault = layerGradient(new ToPoincare({ k: K, mode: 'expmap0' }));
    expect(Math.max(...actual.flatMap((row, i) => row.map((v, j) => Math.abs(v - byDefault[i]![j]!))))).toBeGreaterThan(1e-2);
  });

  it('works with a learned curvature (k gets a finite gradient) and does not leak', () => {
    const layer = new ToPoincare({ k: K, mode: 'expmap0', riemannianGradient: true, learnCurvature: true });
    const x = tf.tensor2d(rows);
    const g = tf.tensor2d(upstream);
    layer.apply(x);
    const { grads, value } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, g)) as tf.Scalar);
    const raw = Object.values(grads)[0]!;
    expect(Number.isFinite(raw.dataSync()[0]!)).toBe(true);
    tf.dispose([value, ...Object.values(grads)]);
    expectNoLeak(() => {
      const result = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, g)) as tf.Scalar);
      tf.dispose([result.value, ...Object.values(result.grads)]);
    });
    tf.dispose([x, g]);
  });

  it('ProductEmbedding applies it to the ball component only', () => {
    const components = [
      { geometry: 'sphere' as const, k: 1 },
      { geometry: 'poincare' as const, k: K },
    ];
    const gradient = (riemannianGradient: boolean, component: number) =>
      tf.tidy(() => {
        const layer = new ProductEmbedding({ components, mode: 'duplicate', poincareMode: 'expmap0', riemannianGradient });
        const g = tf.tensor2d(upstream);
        const f = (t: tf.Tensor) => tf.sum(tf.mul((layer.apply(t) as tf.Tensor[])[component]!, g));
        return toMatrix(tf.grad(f)(tf.tensor2d(rows)));
      });
    expectClose(gradient(true, 0), gradient(false, 0), 1e-7);
    const expected = rows.map((row, i) =>
      expmap0Vjp64(
        row,
        upstream[i]!.map((g) => g * releasedScale64(row)),
      ),
    );
    expectClose(gradient(true, 1), expected, 1e-5);
  });

  it.each(['poincare', 'mixed'] as const)('a %s HiT head with the released map survives saveModel / loadModel', async (geometry) => {
    const dir = await mkdtemp(join(tmpdir(), 'curvad-riemannian-gradient-'));
    try {
      const input = tfl.input({ shape: [4] });
      const released = { classes: 3, poincareMode: 'expmap0', xi: 1e-3, riemannianGradient: true, mlr: 'ganea', seed: 4 } as const;
      const head =
        geometry === 'poincare'
          ? git(input, { ...released, geometry, k: K })
          : git(input, { ...released, geometry, k: [1, K], sphereComposition: 'released' });
      const model = buildGeoModel(input, head);
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      const mapName = geometry === 'poincare' ? 'geo_to_poincare' : 'geo_product_embedding';
      expect(loaded.getLayer(mapName).getConfig()).toMatchObject(
        geometry === 'poincare'
          ? { xi: 1e-3, mode: 'expmap0', riemannianGradient: true }
          : { xi: 1e-3, poincareMode: 'expmap0', riemannianGradient: true },
      );
      // Same backward pass: the input gradient of the ball logits is the same before and after.
      const inputGradient = (m: tfl.LayersModel) =>
        tf.tidy(() => {
          const ballLogits = (t: tf.Tensor) => tf.sum((m.apply(t) as tf.Tensor[])[geometry === 'poincare' ? 1 : 2]!);
          return toMatrix(tf.grad(ballLogits)(tf.tensor2d(rows)));
        });
      expectClose(inputGradient(loaded), inputGradient(model), 1e-6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
