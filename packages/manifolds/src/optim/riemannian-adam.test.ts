import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';

import { ManifoldError } from '../errors';
import { Sphere } from '../sphere/sphere';
import { BALL_EPS } from '../stereographic/constants';
import { PoincareBall } from '../stereographic/stereographic';
import { RiemannianAdam } from './riemannian-adam';
import { cloneVariable, euclideanLoss, rowNorms, seededVariable, values } from './test-support';

describe('RiemannianAdam', () => {
  it('updates ordinary parameters exactly as tf.train.adam, also next to manifold parameters', () => {
    const a = seededVariable([3, 4], 1);
    const b = seededVariable([5], 2);
    const onSphere = seededVariable([2, 3], 3);
    const [a2, b2] = [cloneVariable(a), cloneVariable(b)];
    const ours = new RiemannianAdam({ learningRate: 0.05, beta1: 0.8, beta2: 0.99 }).register(onSphere, new Sphere(1));
    const reference = tf.train.adam(0.05, 0.8, 0.99);
    for (let step = 0; step < 15; step += 1) {
      ours.minimize(() => tf.addN([euclideanLoss(a, 10), euclideanLoss(b, 20), tf.sum(tf.mul(onSphere, 3))]) as tf.Scalar, false, [
        a,
        b,
        onSphere,
      ]);
      reference.minimize(() => tf.add(euclideanLoss(a2, 10), euclideanLoss(b2, 20)) as tf.Scalar, false, [a2, b2]);
    }
    expect(values(a)).toEqual(values(a2));
    expect(values(b)).toEqual(values(b2));
    expect(ours.getConfig()).toEqual({ learningRate: 0.05, beta1: 0.8, beta2: 0.99, epsilon: tf.backend().epsilon(), stepRule: 'expmap' });
    tf.dispose([a, b, a2, b2, onSphere]);
    ours.dispose();
    reference.dispose();
  });

  it('keeps sphere rows on the sphere and ball rows inside with margin under huge gradients', () => {
    const sphere = new Sphere(4);
    const ball = PoincareBall(1);
    const s = seededVariable([6, 5], 4);
    const p = seededVariable([6, 5], 5, 0.1);
    const optimizer = new RiemannianAdam({ learningRate: 0.5 }).register(s, sphere).register(p, ball);
    const push = tf.randomNormal([6, 5], 0, 1, 'float32', 6);
    for (let step = 0; step < 30; step += 1) {
      // Gradients of 1e15 pull every row outward along a fixed direction.
      optimizer.minimize(() => tf.mul(tf.sum(tf.mul(tf.sub(s, p), push)), -1e15) as tf.Scalar, false, [s, p]);
      if (step % 10 === 9) {
        expect(sphere.checkPointOnManifold(s).ok).toBe(true);
        for (const n of rowNorms(p)) expect(n).toBeLessThanOrEqual(1 - BALL_EPS + 1e-6);
        expect(values(s).every(Number.isFinite) && values(p).every(Number.isFinite)).toBe(true);
      }
    }
    for (const n of rowNorms(s)) expect(Math.abs(n - 0.5)).toBeLessThanOrEqual(0.5 * 1e-6);
    tf.dispose([s, p, push]);
    optimizer.dispose();
  });

  it('converges to a target point on the sphere and on the ball (minimising squared distance)', () => {
    const sphere = new Sphere(1);
    const ball = PoincareBall(1);
    const s = seededVariable([4, 6], 7);
    const p = seededVariable([4, 6], 8, 0.2);
    const targetS = sphere.project(tf.randomNormal([4, 6], 0, 1, 'float32', 9));
    const targetP = ball.project(tf.mul(tf.randomNormal([4, 6], 0, 1, 'float32', 10), 0.2));
    const optimizer = new RiemannianAdam({ learningRate: 0.05 }).register(s, sphere).register(p, ball);
    const loss = () => tf.add(tf.sum(tf.square(sphere.dist(s, targetS))), tf.sum(tf.square(ball.dist(p, targetP)))) as tf.Scalar;
    const initial = tf.tidy(() => values(loss())[0]!);
    for (let step = 0; step < 120; step += 1) optimizer.minimize(loss, false, [s, p]);
    const distances = tf.tidy(() => [...values(sphere.dist(s, targetS)), ...values(ball.dist(p, targetP))]);
    expect(initial).toBeGreaterThan(1);
    for (const d of distances) expect(d).toBeLessThan(2e-2);
    tf.dispose([s, p, targetS, targetP]);
    optimizer.dispose();
  });

  it('does not leak tensors per step', () => {
    const s = seededVariable([3, 4], 11);
    const e = seededVariable([4], 12);
    const optimizer = new RiemannianAdam({ learningRate: 0.01 }).register(s, new Sphere(1));
    const step = () => optimizer.minimize(() => tf.add(tf.sum(tf.mul(s, 2)), euclideanLoss(e, 3)) as tf.Scalar, false, [s, e]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, e]);
    optimizer.dispose();
  });

  it('trains a tfjs-layers model via compile({ optimizer }), keeping a registered kernel column-wise on the sphere', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 3, inputShape: [4], useBias: true, kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }) }),
      ],
    });
    const sphere = new Sphere(1);
    const kernel = model.layers[0]!.weights[0]!;
    const optimizer = new RiemannianAdam({ learningRate: 0.05 }).register(kernel, sphere, { layout: 'columns' });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const xs = tf.randomNormal([16, 4], 0, 1, 'float32', 13);
    const ys = tf.randomNormal([16, 3], 0, 1, 'float32', 14);
    const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[2]!).toBeLessThan(losses[0]!);
    const columns = tf.tidy(() => tf.transpose(kernel.read()));
    expect(sphere.checkPointOnManifold(columns).ok).toBe(true);
    expect(optimizer.manifoldOf(kernel)).toBe(sphere);
    tf.dispose([xs, ys, columns]);
    model.dispose();
  });

  it('is serializable: className, registerClass, getConfig/fromConfig, getWeights/setWeights', async () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect(map.RiemannianAdam).toBeDefined();
    const s = seededVariable([2, 3], 15);
    const optimizer = new RiemannianAdam({ learningRate: 0.02, stepRule: 'retract' }).register(s, new Sphere(1));
    optimizer.minimize(() => tf.sum(tf.mul(s, 3)) as tf.Scalar, false, [s]);
    const copy = RiemannianAdam.fromConfig(RiemannianAdam, optimizer.getConfig()) as RiemannianAdam;
    expect(copy.getConfig()).toEqual(optimizer.getConfig());
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', `${s.name}/m`, `${s.name}/v`]);
    expect(weights[2]!.tensor.shape).toEqual([2, 1]);
    await copy.setWeights(weights);
    const restored = await copy.getWeights();
    expect(values(restored[1]!.tensor)).toEqual(values(weights[1]!.tensor));
    expect(copy.iterations).toBe(1);
    tf.dispose(s);
    optimizer.dispose();
    copy.dispose();
  });

  it('rejects bad hyperparameters and registrations with a ManifoldError', () => {
    expect(() => new RiemannianAdam({ learningRate: Number.NaN })).toThrow(ManifoldError);
    expect(() => new RiemannianAdam({ beta1: 1 })).toThrow(/beta1 and beta2/);
    const optimizer = new RiemannianAdam();
    expect(() => optimizer.register('x', {} as never)).toThrow(/no project\(\) method/);
    const v = seededVariable([2, 2, 2], 16);
    expect(() => optimizer.register(v, new Sphere(1), { layout: 'columns' })).toThrow(/layout 'columns' needs a rank-2 variable/);
    tf.dispose(v);
    optimizer.dispose();
  });
});
