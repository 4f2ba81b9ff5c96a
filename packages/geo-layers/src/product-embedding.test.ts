import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { ProductEmbedding } from './product-embedding';
import { checkVariableGradient, expectClose, expectNoLeak, randomMatrix, scalarize, toMatrix } from './test-support';
import { poincareEmbedding } from './to-poincare';
import { sphereEmbedding } from './to-sphere';

describe('ProductEmbedding (mixed curvature, MiO / MiT)', () => {
  const x = randomMatrix(5, 6, 31, 2);

  it("'split' maps consecutive slices into their spaces (Eq. 2, Eq. 4, identity)", () => {
    const layer = new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1, dim: 2 },
        { geometry: 'poincare', k: -0.5, dim: 3 },
        { geometry: 'euclidean', dim: 1 },
      ],
    });
    tf.tidy(() => {
      const xt = tf.tensor2d(x);
      const [s, h, e] = layer.apply(xt) as tf.Tensor[];
      expectClose(toMatrix(s!), toMatrix(sphereEmbedding(tf.slice(xt, [0, 0], [-1, 2]), 1)), 1e-6);
      expectClose(toMatrix(h!), toMatrix(poincareEmbedding(tf.slice(xt, [0, 2], [-1, 3]), -0.5)), 1e-6);
      expectClose(toMatrix(e!), toMatrix(tf.slice(xt, [0, 5], [-1, 1])), 1e-12);
    });
    expect(layer.computeOutputShape([null, 6])).toEqual([
      [null, 2],
      [null, 3],
      [null, 1],
    ]);
  });

  it("'duplicate' gives every component the whole feature; equal split without dims", () => {
    const dup = new ProductEmbedding({
      mode: 'duplicate',
      components: [
        { geometry: 'sphere', k: 2 },
        { geometry: 'poincare', k: -1 },
      ],
    });
    const equal = new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 2 },
        { geometry: 'poincare', k: -1 },
      ],
    });
    tf.tidy(() => {
      const xt = tf.tensor2d(x);
      const [s, h] = dup.apply(xt) as tf.Tensor[];
      expectClose(toMatrix(s!), toMatrix(sphereEmbedding(xt, 2)), 1e-6);
      expectClose(toMatrix(h!), toMatrix(poincareEmbedding(xt, -1)), 1e-6);
      const parts = equal.apply(xt) as tf.Tensor[];
      expect(parts.map((t) => t.shape)).toEqual([
        [5, 3],
        [5, 3],
      ]);
    });
  });

  it('learns one curvature per curved component, with finite-difference-checked gradients', () => {
    const layer = new ProductEmbedding({
      learnCurvature: true,
      poincareMode: 'expmap0',
      components: [{ geometry: 'sphere', k: 1.5 }, { geometry: 'poincare', k: -0.3 }, { geometry: 'euclidean' }],
    });
    const xt = tf.tensor2d(x);
    layer.apply(xt);
    expect(layer.trainableWeights).toHaveLength(2);
    const values = layer.curvatureValues();
    expect(values[0]).toBeCloseTo(1.5, 5);
    expect(values[1]).toBeCloseTo(-0.3, 5);
    expect(values[2]).toBe(0);
    for (const v of layer.trainableWeights) {
      checkVariableGradient(
        () => tf.addN((layer.apply(xt) as tf.Tensor[]).map((t, i) => scalarize(t, i + 1))) as tf.Scalar,
        v.read() as tf.Variable,
        { h: 1e-3 },
      );
    }
  });

  it('round-trips its config, rejects bad options, does not leak', () => {
    const layer = new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1, dim: 4 },
        { geometry: 'poincare', k: -1, dim: 2 },
      ],
      xi: 1e-3,
      clipR: 3,
    });
    const config = layer.getConfig();
    expect((tfl.layers.Layer.fromConfig(ProductEmbedding, config) as ProductEmbedding).getConfig()).toEqual(config);
    expect(() => new ProductEmbedding({ components: [] })).toThrow(GeoLayersError);
    expect(() => new ProductEmbedding({ components: [{ geometry: 'poincare', k: 1 }] })).toThrow(/negative/);
    expect(() => new ProductEmbedding({ components: [{ geometry: 'torus' as 'sphere', k: 1 }] })).toThrow(/geometry/);
    const three = new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1 },
        { geometry: 'poincare', k: -1 },
      ],
    });
    expect(() => three.apply(tf.zeros([2, 5]))).toThrow(/cannot split 5 features equally/);
    const badDims = new ProductEmbedding({
      components: [
        { geometry: 'sphere', k: 1, dim: 2 },
        { geometry: 'poincare', k: -1, dim: 2 },
      ],
    });
    expect(() => badDims.apply(tf.zeros([2, 5]))).toThrow(/sum to the feature width 5/);
    const input = tf.ones([3, 6]);
    expectNoLeak(() => {
      for (const t of layer.apply(input) as tf.Tensor[]) t.dispose();
    });
  });
});
