import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { GeoLayersError } from './errors';
import { checkGradient, checkVariableGradient, expectClose, expectNoLeak, norm, randomMatrix, scalarize, toMatrix } from './test-support';
import { sphereEmbedding, ToSphere } from './to-sphere';

describe('ToSphere (Eq. 2)', () => {
  it('maps each row to x / (sqrt(k) ||x||), as a float64 reference', () => {
    const rows = randomMatrix(6, 5, 1, 3);
    for (const k of [1, 0.25, 4]) {
      const layer = new ToSphere({ k });
      const out = tf.tidy(() => toMatrix(layer.apply(tf.tensor2d(rows)) as tf.Tensor));
      expectClose(
        out,
        rows.map((r) => r.map((v) => v / (Math.sqrt(k) * norm(r)))),
        1e-6,
      );
    }
  });

  test.prop([fc.array(fc.float({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.constantFrom(0.01, 1, 9)])(
    'outputs lie on the sphere of radius 1/sqrt(k) (zero row: the pole)',
    (row, k) => {
      const out = tf.tidy(() => Array.from(sphereEmbedding(tf.tensor2d([row]), k).dataSync()));
      expect(Math.abs(norm(out) * Math.sqrt(k) - 1)).toBeLessThan(1e-5);
    },
  );

  it('has finite gradients matching finite differences, w.r.t. x and a learned k', () => {
    const x = tf.tensor2d(randomMatrix(3, 4, 2));
    checkGradient((t) => scalarize(sphereEmbedding(t, 2)), x);
    checkGradient((k) => scalarize(sphereEmbedding(x, k as tf.Scalar)), tf.scalar(2));
    const zero = tf.zeros([1, 3]);
    const g = tf.grad((t: tf.Tensor) => scalarize(sphereEmbedding(t, 1)))(zero);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);

    const layer = new ToSphere({ k: 2, learnCurvature: true });
    layer.apply(x);
    expect(layer.trainableWeights).toHaveLength(1);
    expect(layer.curvatureValue()).toBeCloseTo(2, 5);
    checkVariableGradient(() => scalarize(layer.apply(x) as tf.Tensor), layer.trainableWeights[0]!.read() as tf.Variable);
  });

  it('round-trips its config and is registered under a curvad class name', () => {
    const layer = new ToSphere({ k: 0.5, learnCurvature: true, name: 'sph' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ k: 0.5, learnCurvature: true, name: 'sph' });
    const copy = tfl.layers.Layer.fromConfig(ToSphere, config) as ToSphere;
    expect(copy.getConfig()).toEqual(config);
    expect(ToSphere.className).toBe('CurvadToSphere');
    expect(tf.serialization.SerializationMap.getMap().classNameMap.CurvadToSphere?.[0]).toBe(ToSphere);
  });

  it('rejects a wrong curvature sign, a non-finite k and a wrong rank', () => {
    expect(() => new ToSphere({ k: -1 })).toThrow(/positive \(k > 0\)/);
    expect(() => new ToSphere({ k: 0 })).toThrow(GeoLayersError);
    expect(() => new ToSphere({ k: Number.NaN })).toThrow(/finite/);
    const layer = new ToSphere({ k: 1 });
    let error: unknown;
    try {
      layer.apply(tf.zeros([2, 3, 4]));
    } catch (e) {
      error = e;
    }
    expect(GeoLayersError.isInstance(error)).toBe(true);
    expect(String(error)).toMatch(/rank 2/);
  });

  it('does not leak tensors', () => {
    const layer = new ToSphere({ k: 1, learnCurvature: true });
    const x = tf.ones([4, 3]);
    expectNoLeak(() => (layer.apply(x) as tf.Tensor).dispose());
  });
});
