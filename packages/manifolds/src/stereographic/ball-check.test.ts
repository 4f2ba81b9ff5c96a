// Issue 12, defect 9: `Stereographic(-1).dist0` of a point outside the ball returned a finite number.
// `checkPoints: true` validates the point arguments (a ManifoldError naming the row, its norm and the
// radius); `checkPointsInBall` / `assertPointsInBall` are the same check as functions; the default path
// reads nothing back. `Sphere(k, { checkPoints: true })` asks for points on the sphere.
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ManifoldError } from '../errors';
import { Sphere } from '../sphere/sphere';
import { assertPointsInBall, checkPointsInBall } from './ball-check';
import { Euclidean, PoincareBall, Stereographic } from './stereographic';

function thrown(f: () => unknown): ManifoldError {
  try {
    f();
  } catch (e) {
    expect(ManifoldError.isInstance(e), `threw ${String(e)}`).toBe(true);
    return e as ManifoldError;
  }
  throw new Error('expected a ManifoldError, nothing was thrown');
}

afterEach(() => vi.restoreAllMocks());

// Row 1 has norm 1.2: outside the unit ball (k = -1).
const outsideRows = [
  [0.1, 0],
  [0.96, 0.72],
];
const insideRows = [
  [0.1, 0],
  [0.3, -0.2],
];

describe('Stereographic(k < 0) with checkPoints: true', () => {
  const ball = new Stereographic(-1, { checkPoints: true });

  it('dist0 of a point outside the ball throws, naming the row, its norm and the radius', () => {
    const x = tf.tensor2d(outsideRows);
    const message = thrown(() => ball.dist0(x)).message;
    expect(message).toMatch(
      /^Stereographic\(k=-1\)\.dist0: row 1 of x \(shape \[2,2\]\) has norm 1\.20000, on or outside the Poincare ball of radius 1\.00000 \(k = -1\)/,
    );
    expect(message).toMatch(/project\(x\)/);
    x.dispose();
  });

  it('the default class stays unchecked (and returns the clamped, finite value the issue saw)', () => {
    const x = tf.tensor2d(outsideRows);
    const d = new Stereographic(-1).dist0(x);
    expect(Number.isFinite(d.dataSync()[1]!)).toBe(true);
    tf.dispose([x, d]);
  });

  it('checks every method that needs a point of the ball, and names the argument', () => {
    const bad = tf.tensor2d(outsideRows);
    const good = tf.tensor2d(insideRows);
    const calls: [string, () => unknown, string][] = [
      ['dist', () => ball.dist(good, bad), 'y'],
      ['dist', () => ball.dist(bad, good), 'x'],
      ['dist0', () => ball.dist0(bad), 'x'],
      ['logmap0', () => ball.logmap0(bad), 'y'],
      ['logmap', () => ball.logmap(good, bad), 'y'],
      ['logmap', () => ball.logmap(bad, good), 'x'],
      ['expmap', () => ball.expmap(bad, good), 'x'],
      ['retract', () => ball.retract(bad, good), 'x'],
      ['mobiusAdd', () => ball.mobiusAdd(good, bad), 'y'],
      ['mobiusScalarMul', () => ball.mobiusScalarMul(2, bad), 'x'],
      ['mobiusMatvec', () => ball.mobiusMatvec(bad, tf.eye(2)), 'x'],
      ['gyration', () => ball.gyration(good, bad, good), 'y'],
      ['lambda', () => ball.lambda(bad), 'x'],
      ['egrad2rgrad', () => ball.egrad2rgrad(bad, good), 'x'],
      ['inner', () => ball.inner(bad, good, good), 'x'],
      ['transp', () => ball.transp(good, bad, good), 'y'],
      ['transp0', () => ball.transp0(bad, good), 'y'],
      ['transp0back', () => ball.transp0back(bad, good), 'x'],
    ];
    for (const [op, call, name] of calls) {
      const before = tf.memory().numTensors;
      const message = thrown(() => tf.tidy(() => call() as tf.TensorContainer)).message;
      const method = op === 'retract' ? 'expmap' : op;
      expect(message, op).toContain(`.${method}: row 1 of ${name} `);
      expect(tf.memory().numTensors, op).toBe(before);
    }
    // Maps points in, so unchecked: project and expmap0 (a tangent vector of any length).
    tf.dispose([tf.tidy(() => ball.project(bad)), tf.tidy(() => ball.expmap0(bad))]);
    tf.dispose([bad, good]);
  });

  it('accepts every point of the open ball, the float32 margin included, with the same values', () => {
    const nearBoundary = tf.tensor2d([
      [0.999, 0],
      [0, 0],
    ]); // beyond project's 1 - 4e-3, still inside
    const plain = new Stereographic(-1);
    expect(Array.from(ball.dist0(nearBoundary).dataSync())).toEqual(Array.from(plain.dist0(nearBoundary).dataSync()));
    const onBoundary = tf.tensor2d([[0.6, 0.8]]);
    expect(thrown(() => ball.dist0(onBoundary)).message).toContain('has norm 1.00000');
    tf.dispose([nearBoundary, onBoundary]);
  });

  it('uses the radius 1/sqrt|k| of the ball (k = -4: radius 0.5), also for PoincareBall and a learnable k', () => {
    const x = tf.tensor2d([
      [0.3, 0.3],
      [0.3, 0.4],
    ]); // norms 0.424, 0.5
    const k4 = new Stereographic(-4, { checkPoints: true });
    expect(thrown(() => k4.dist0(x)).message).toMatch(
      /row 1 of x .* norm 0\.500000, on or outside the Poincare ball of radius 0\.500000 \(k = -4\)/,
    );
    expect(thrown(() => PoincareBall(4, { checkPoints: true }).dist0(x)).message).toMatch(/^PoincareBall\(c=4\)\.dist0: row 1/);
    const k = tf.variable(tf.scalar(-4));
    expect(thrown(() => new Stereographic(k, { checkPoints: true }).dist0(x)).message).toContain('radius 0.500000');
    tf.dispose([x, k]);
  });

  it('does not leak when the check passes', () => {
    const x = tf.tensor2d(insideRows);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i += 1) tf.dispose([ball.dist(x, x), ball.logmap0(x), ball.dist0(x)]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('k >= 0 with checkPoints: every finite row is a point', () => {
  it('accepts large rows on the stereographic sphere chart and in flat space, rejects NaN', () => {
    const far = tf.tensor2d([[100, -250]]);
    const nan = tf.tensor2d([[0, NaN]]);
    for (const m of [new Stereographic(1, { checkPoints: true }), Euclidean({ checkPoints: true })]) {
      tf.dispose([m.dist0(far), m.logmap0(far)]);
      expect(thrown(() => m.dist(far, nan)).message).toMatch(/\.dist: row 0 of y \(shape \[1,2\]\) has a NaN or infinite entry/);
    }
    tf.dispose([far, nan]);
  });
});

describe('the hot path reads nothing back', () => {
  it('without checkPoints, dist0 / dist / logmap0 make no synchronous read', () => {
    const x = tf.tensor2d(outsideRows);
    const ball = new Stereographic(-1);
    const readSync = vi.spyOn(tf.engine().backend, 'readSync');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    tf.dispose([ball.dist0(x), ball.dist(x, x), ball.logmap0(x)]);
    expect(readSync).not.toHaveBeenCalled();
    expect(dataSync).not.toHaveBeenCalled();
    // The spies do see the read the check makes.
    const inside = tf.tensor2d(insideRows);
    tf.dispose(new Stereographic(-1, { checkPoints: true }).dist0(inside));
    expect(dataSync).toHaveBeenCalledTimes(1);
    tf.dispose([x, inside]);
  });
});

describe('checkPointsInBall / assertPointsInBall', () => {
  it('explain with { ok, reason }, and throw that reason with what to do', () => {
    const outside = tf.tensor2d(outsideRows);
    const inside = tf.tensor2d(insideRows);
    expect(checkPointsInBall(inside, -1)).toEqual({ ok: true });
    const check = checkPointsInBall(outside, -1, { name: 'embedding' });
    expect(check).toEqual({
      ok: false,
      reason:
        'row 1 of embedding (shape [2,2]) has norm 1.20000, on or outside the Poincare ball of radius 1.00000 (k = -1), ' +
        'where distances and logarithms are undefined',
    });
    expect(checkPointsInBall(outside, 1)).toEqual({ ok: true });
    expect(checkPointsInBall(tf.tensor1d([Infinity, 0]), 0).reason).toMatch(/row 0 of x .* NaN or infinite/);
    expect(checkPointsInBall(tf.scalar(1), -1).reason).toMatch(/\[batch, dim\]/);
    expect(checkPointsInBall(inside, NaN).reason).toMatch(/finite number/);
    expect(() => assertPointsInBall(inside, -1)).not.toThrow();
    expect(thrown(() => assertPointsInBall(outside, -1, 'myLayer')).message).toMatch(/^myLayer: row 1 of x .*project\(x\)/);
    tf.dispose([outside, inside]);
  });

  it('a squared norm that overflows float32 counts as outside', () => {
    const huge = tf.tensor2d([[1e20, 0]]);
    expect(checkPointsInBall(huge, -1).reason).toContain('has norm Infinity');
    huge.dispose();
  });
});

describe('options', () => {
  it('reject unknown keys and non-boolean values', () => {
    expect(thrown(() => new Stereographic(-1, { checkpoints: true } as never)).message).toMatch(
      /unknown option 'checkpoints'; the options are: checkPoints/,
    );
    expect(thrown(() => new Stereographic(-1, { checkPoints: 'yes' } as never)).message).toMatch(/true or false/);
    expect(thrown(() => new Sphere(1, { check: true } as never)).message).toMatch(/^Sphere: unknown option 'check'/);
  });
});

describe('Sphere(k) with checkPoints: points must lie on the sphere', () => {
  it('throws for a row off the sphere, naming the method, the row and its norm', () => {
    const sphere = new Sphere(4, { checkPoints: true }); // radius 0.5
    const on = tf.tensor2d([
      [0.5, 0],
      [0, -0.5],
    ]);
    const off = tf.tensor2d([
      [0.5, 0],
      [0.3, 0.3],
    ]);
    tf.dispose(sphere.dist(on, on));
    expect(thrown(() => sphere.dist(on, off)).message).toMatch(
      /^Sphere\(k=4\)\.dist: y: row 1 has norm 0\.42426.*not the radius 0\.5 .*call project\(x\) first, or check that k matches/,
    );
    expect(thrown(() => sphere.logmap(off, on)).message).toMatch(/\.logmap: x: /);
    expect(thrown(() => sphere.expmap(off, on)).message).toMatch(/\.expmap: x: /);
    // The default stays unchecked.
    tf.dispose(new Sphere(4).dist(on, off));
    tf.dispose([on, off]);
  });
});
