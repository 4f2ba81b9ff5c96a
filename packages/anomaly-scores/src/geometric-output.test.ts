import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { oneMinusTanh, orientGeometricScore } from './geometric-output';

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe('oneMinusTanh', () => {
  it('matches 1 - tanh(z) in float64 where that is representable', () => {
    const zs = [-3, -0.5, 0, 1e-4, 0.3, 1, 2.5, 5];
    const got = values(oneMinusTanh(tf.tensor1d(zs)));
    zs.forEach((z, i) => {
      expect(got[i]).toBeCloseTo(1 - Math.tanh(z), 6);
    });
  });

  it('keeps a strict ranking where float32 1 - tanh(z) has collapsed to 0', () => {
    const zs = [10, 12, 20, 30, 40];
    const literal = values(tf.sub(1, tf.tanh(tf.tensor1d(zs))));
    expect(literal.every((v) => v === 0)).toBe(true);
    const got = values(oneMinusTanh(tf.tensor1d(zs)));
    for (let i = 0; i < zs.length; i++) {
      expect(got[i]).toBeGreaterThan(0);
      // float64 reference: 1 - tanh(z) = 2 e^{-2z} / (1 + e^{-2z})
      const ref = (2 * Math.exp(-2 * zs[i]!)) / (1 + Math.exp(-2 * zs[i]!));
      expect(Math.abs(got[i]! - ref) / ref).toBeLessThan(1e-5);
      if (i > 0) expect(got[i]).toBeLessThan(got[i - 1]!);
    }
  });

  test.prop([fc.double({ min: -20, max: 40, noNaN: true }), fc.double({ min: -20, max: 40, noNaN: true })])(
    'is strictly decreasing',
    (a, b) => {
      fc.pre(Math.abs(a - b) > 1e-3 * Math.max(1, Math.abs(a)));
      const [fa, fb] = values(oneMinusTanh(tf.tensor1d([a, b])));
      expect(Math.sign(fa! - fb!)).toBe(-Math.sign(a - b));
    },
  );

  it('has the gradient of 1 - tanh(z), -(1 - tanh^2 z)', () => {
    const zs = [-1, 0, 0.7, 3];
    const g = values(tf.grad((z: tf.Tensor) => tf.sum(oneMinusTanh(z)))(tf.tensor1d(zs)));
    zs.forEach((z, i) => {
      expect(g[i]).toBeCloseTo(-(1 - Math.tanh(z) ** 2), 5);
    });
  });
});

describe('orientGeometricScore', () => {
  const z = [0.5, 2, 11];
  it('maps z to AS, rank and z for both directions', () => {
    const run = (output: 'anomaly' | 'rank' | 'z', dir: 'normal' | 'anomalous') =>
      tf.tidy(() => Array.from(orientGeometricScore(tf.tensor1d(z), output, dir).dataSync()));
    expect(run('z', 'normal')).toEqual(z);
    expect(run('rank', 'normal')).toEqual(z.map((v) => -v));
    expect(run('rank', 'anomalous')).toEqual(z);
    run('anomaly', 'anomalous').forEach((v, i) => {
      expect(v).toBeCloseTo(Math.tanh(z[i]!), 6);
    });
    run('anomaly', 'normal').forEach((v, i) => {
      expect(v).toBeCloseTo(1 - Math.tanh(z[i]!), 6);
    });
  });
});
