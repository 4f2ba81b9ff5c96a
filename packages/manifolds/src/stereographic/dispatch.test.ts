// One dispatch path to the fused kernels: the package's free functions (index.ts) and the
// Stereographic class run the same kernel and give identical numbers; and a Stereographic over a
// tensor curvature is cheap to construct (no read-back), since a learned k builds one every step.
import '@tensorflow/tfjs-backend-wasm';

import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUSED_DIST, FUSED_EXPMAP0, FUSED_MOBIUS_ADD } from '../fused/fused-ops';
import { dist, expmap0, mobiusAdd } from '../index';
import { Stereographic } from './stereographic';

const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

async function kernelsOf(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  tf.dispose(info.result as tf.Tensor);
  return info.kernelNames;
}

describe.each(['cpu', 'wasm'])('free functions and the class on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
    await tf.ready();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  // k > 0 so the class's projection is the identity and mobiusAdd / expmap0 must match bit for bit;
  // k < 0 for dist (no projection in it).
  const x = () => tf.randomNormal([9, 13], 0, 0.2, 'float32', 3);
  const y = () => tf.randomNormal([9, 13], 0, 0.2, 'float32', 4);

  it('the free mobiusAdd, dist and expmap0 run the fused kernels', async () => {
    const [a, b] = [x(), y()];
    expect(await kernelsOf(() => mobiusAdd(a, b, 0.7))).toContain(FUSED_MOBIUS_ADD);
    expect(await kernelsOf(() => dist(a, b, -0.7))).toContain(FUSED_DIST);
    expect(await kernelsOf(() => expmap0(a, 0.7))).toContain(FUSED_EXPMAP0);
    tf.dispose([a, b]);
  });

  it('give the same numbers as the class, for a number and a tensor curvature', () => {
    const [a, b] = [x(), y()];
    for (const k of [0.7, tf.scalar(0.7)]) {
      const sphere = new Stereographic(k);
      expect(values(mobiusAdd(a, b, k))).toEqual(values(sphere.mobiusAdd(a, b)));
      expect(values(expmap0(a, k))).toEqual(values(sphere.expmap0(a)));
    }
    const ball = new Stereographic(-0.7);
    expect(values(dist(a, b, -0.7))).toEqual(values(ball.dist(a, b)));
    tf.dispose([a, b]);
  });
});

describe('constructing a Stereographic over a tensor curvature', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('reads nothing back from the device (a learned k builds one per training step)', () => {
    const raw = tf.variable(tf.scalar(-0.5));
    const k = tf.scalar(-0.25);
    const readSync = vi.spyOn(tf.engine().backend, 'readSync');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const x = tf.tensor2d([[0.1, 0.2]]);
    tf.tidy(() => {
      new Stereographic(raw);
      new Stereographic(k);
      new Stereographic(tf.reshape(k, [1]));
      new Stereographic(k).expmap0(x);
    });
    expect(readSync).not.toHaveBeenCalled();
    expect(dataSync).not.toHaveBeenCalled();
    // The spies see a read where one is asked for.
    expect(new Stereographic(k).k).toBe(-0.25);
    expect(dataSync).toHaveBeenCalledTimes(1);
    tf.dispose([raw, k, x]);
  });
});
