import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { ManifoldError } from '../errors';
import { ProductManifold } from '../product/product-manifold';
import { Sphere } from '../sphere/sphere';
import { BALL_EPS } from '../stereographic/constants';
import { PoincareBall } from '../stereographic/stereographic';
import { RiemannianSGD } from './riemannian-sgd';
import { cloneVariable, euclideanLoss, rowNorms, seededVariable, values } from './test-support';

describe('RiemannianSGD', () => {
  it('updates ordinary parameters exactly as tf.train.sgd (momentum 0) and tf.train.momentum', () => {
    for (const momentum of [0, 0.9]) {
      const a = seededVariable([3, 4], 1);
      const onBall = seededVariable([2, 3], 2, 0.1);
      const a2 = cloneVariable(a);
      const ours = new RiemannianSGD({ learningRate: 0.03, momentum }).register(onBall, PoincareBall(1));
      const reference = momentum === 0 ? tf.train.sgd(0.03) : tf.train.momentum(0.03, momentum);
      for (let step = 0; step < 12; step += 1) {
        ours.minimize(() => tf.add(euclideanLoss(a, 10), tf.sum(tf.mul(onBall, 2))) as tf.Scalar, false, [a, onBall]);
        reference.minimize(() => euclideanLoss(a2, 10), false, [a2]);
      }
      expect(values(a)).toEqual(values(a2));
      tf.dispose([a, a2, onBall]);
      ours.dispose();
      reference.dispose();
    }
  });

  it('keeps parameters on their manifolds after huge steps (sphere exactly, ball inside with margin, products)', () => {
    const sphere = new Sphere(1);
    const ball = PoincareBall(2);
    const product = new ProductManifold([
      [sphere, 3],
      [ball, 2],
    ]);
    const s = seededVariable([5, 4], 3);
    const p = seededVariable([5, 4], 4, 0.05);
    const q = seededVariable([5, 5], 5, 0.3);
    for (const stepRule of ['expmap', 'retract'] as const) {
      const optimizer = new RiemannianSGD({ learningRate: 1, momentum: 0.5, stepRule })
        .register(s, sphere)
        .register(p, ball)
        .register(q, product);
      for (let step = 0; step < 20; step += 1) {
        const scale = step % 2 === 0 ? 1e12 : -3e10;
        optimizer.minimize(() => tf.mul(tf.add(tf.sum(tf.sub(s, p)), tf.sum(q)), scale) as tf.Scalar, false, [s, p, q]);
      }
      expect(sphere.checkPointOnManifold(s).ok).toBe(true);
      for (const n of rowNorms(p)) expect(n * Math.sqrt(2)).toBeLessThanOrEqual(1 - BALL_EPS + 1e-6);
      const check = product.checkPointOnManifold(q);
      expect(check.ok, check.reason).toBe(true);
      for (const t of [s, p, q]) expect(values(t).every(Number.isFinite)).toBe(true);
      optimizer.dispose();
    }
    tf.dispose([s, p, q]);
  });

  it('converges to a target on the sphere and on the ball along geodesics (with and without momentum)', () => {
    const sphere = new Sphere(2);
    const ball = PoincareBall(1);
    const targetS = sphere.project(tf.randomNormal([3, 5], 0, 1, 'float32', 6));
    const targetP = ball.project(tf.mul(tf.randomNormal([3, 5], 0, 1, 'float32', 7), 0.3));
    for (const momentum of [0, 0.5]) {
      const s = seededVariable([3, 5], 8);
      const p = seededVariable([3, 5], 9, 0.3);
      const optimizer = new RiemannianSGD({ learningRate: 0.3, momentum }).register(s, sphere).register(p, ball);
      // Half the squared distance: its Riemannian gradient is -logmap_x(target), so each step
      // moves along the geodesic to the target.
      const loss = () =>
        tf.mul(tf.add(tf.sum(tf.square(sphere.dist(s, targetS))), tf.sum(tf.square(ball.dist(p, targetP)))), 0.5) as tf.Scalar;
      for (let step = 0; step < 40; step += 1) optimizer.minimize(loss, false, [s, p]);
      const distances = tf.tidy(() => [...values(sphere.dist(s, targetS)), ...values(ball.dist(p, targetP))]);
      for (const d of distances) expect(d).toBeLessThan(1e-3);
      tf.dispose([s, p]);
      optimizer.dispose();
    }
    tf.dispose([targetS, targetP]);
  });

  it('one step without momentum is exp_x(-lr * egrad2rgrad(x, g)), projected', () => {
    const ball = PoincareBall(1);
    const p = seededVariable([2, 3], 10, 0.2);
    const optimizer = new RiemannianSGD({ learningRate: 0.1 }).register(p, ball);
    const g = tf.randomNormal([2, 3], 0, 1, 'float32', 11);
    const expected = tf.tidy(() => values(ball.project(ball.expmap(p, tf.mul(ball.egrad2rgrad(p, g), -0.1)))));
    optimizer.minimize(() => tf.sum(tf.mul(p, g)) as tf.Scalar, false, [p]);
    const got = values(p);
    got.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
    tf.dispose([p, g]);
    optimizer.dispose();
  });

  it('does not leak tensors per step, with momentum', () => {
    const s = seededVariable([3, 4], 12);
    const e = seededVariable([4], 13);
    const optimizer = new RiemannianSGD({ learningRate: 0.01, momentum: 0.9 }).register(s, new Sphere(1));
    const step = () => optimizer.minimize(() => tf.add(tf.sum(tf.mul(s, 2)), euclideanLoss(e, 3)) as tf.Scalar, false, [s, e]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i += 1) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([s, e]);
    optimizer.dispose();
  });

  it('is registered for serialization and validates its options', () => {
    expect(tf.serialization.SerializationMap.getMap().classNameMap.RiemannianSGD).toBeDefined();
    const optimizer = new RiemannianSGD({ learningRate: 0.1, momentum: 0.3, stepRule: 'retract' });
    const copy = RiemannianSGD.fromConfig(RiemannianSGD, optimizer.getConfig()) as RiemannianSGD;
    expect(copy.getConfig()).toEqual({ learningRate: 0.1, momentum: 0.3, stepRule: 'retract' });
    expect(() => new RiemannianSGD({ learningRate: -1 })).toThrow(ManifoldError);
    expect(() => new RiemannianSGD({ learningRate: 0.1, momentum: 1 })).toThrow(/momentum must be in \[0, 1\)/);
    optimizer.dispose();
    copy.dispose();
  });
});
