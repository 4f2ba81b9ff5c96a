// The Stereographic class: validation and errors, explainable checks, PoincareBall / Euclidean,
// learnable curvature, and no tensor leaks.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

import { ManifoldError } from '../errors';
import * as ref from './f64-reference';
import { Euclidean, PoincareBall, Stereographic } from './stereographic';

const t2 = (r: number[][]): tf.Tensor2D => tf.tensor2d(r);
const values = (t: tf.Tensor): number[] => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

function thrown(f: () => unknown): ManifoldError {
  try {
    f();
  } catch (e) {
    expect(ManifoldError.isInstance(e)).toBe(true);
    return e as ManifoldError;
  }
  throw new Error('expected a ManifoldError');
}

describe('construction', () => {
  it('rejects non-finite curvature, with the value in the message', () => {
    for (const k of [NaN, Infinity, -Infinity]) {
      expect(thrown(() => new Stereographic(k)).message).toContain(String(k));
    }
    // A tensor curvature is read (and checked) where it is read, not at construction (no read-back there).
    expect(thrown(() => new Stereographic(tf.scalar(NaN)).k).message).toContain('NaN');
    expect(thrown(() => new Stereographic(tf.tensor1d([1, 2]))).message).toContain('[2]');
    expect(thrown(() => new Stereographic(tf.scalar(1, 'int32'))).message).toContain('int32');
    expect(thrown(() => new Stereographic('1' as unknown as number)).message).toContain('number or a scalar tensor');
  });

  it('PoincareBall(c) is Stereographic(-c), callable with or without new; c must be > 0', () => {
    const ball = PoincareBall(0.5);
    const viaNew = new PoincareBall(0.5);
    expect(ball).toBeInstanceOf(Stereographic);
    expect(viaNew.k).toBe(-0.5);
    expect(ball.name).toBe('PoincareBall(c=0.5)');
    expect(ball.radius).toBeCloseTo(Math.SQRT2, 12);
    for (const c of [0, -1, NaN]) expect(thrown(() => PoincareBall(c)).message).toContain('c > 0');
    const x = t2([[0.3, 0.4]]);
    expect(values(ball.dist0(x))).toEqual(values(new Stereographic(-0.5).dist0(x)));
    x.dispose();
  });

  it('Euclidean() is the k = 0 member: flat formulas with the conformal factor 2', () => {
    const e = Euclidean();
    expect(new Euclidean().k).toBe(0);
    expect(e.name).toBe('Euclidean');
    expect(e.radius).toBe(Infinity);
    const [x, y] = [t2([[1, 2]]), t2([[4, 6]])];
    expect(values(e.mobiusAdd(x, y))).toEqual([5, 8]);
    expect(values(e.dist(x, y))).toEqual([10]);
    expect(values(e.lambda(x))).toEqual([2]);
    expect(values(e.egrad2rgrad(x, y))).toEqual([1, 1.5]);
    expect(values(e.project(y))).toEqual([4, 6]);
    tf.dispose([x, y]);
  });
});

describe('input validation names the shapes', () => {
  const m = new Stereographic(-1);
  const a = t2([[0.1, 0.2, 0.3]]);
  const b = t2([[0.1, 0.2]]);
  const batch3 = t2([
    [0.1, 0.2, 0.3],
    [0, 0, 0],
    [0.1, 0, 0],
  ]);
  const batch2 = t2([
    [0.1, 0.2, 0.3],
    [0, 0, 0],
  ]);

  it('mismatched last dims', () => {
    const e = thrown(() => m.mobiusAdd(a, b));
    expect(e.message).toContain('[1,3]');
    expect(e.message).toContain('[1,2]');
    expect(e.message).toContain('mobiusAdd');
    expect(thrown(() => m.dist(a, b)).message).toContain('dist');
  });

  it('mismatched batch sizes (batch 1 broadcasts)', () => {
    expect(thrown(() => m.dist(batch3, batch2)).message).toMatch(/\[3,3\].*\[2,3\]/);
    expect(values(m.dist(a, batch3))).toHaveLength(3);
  });

  it('rank errors and dtype errors', () => {
    expect(thrown(() => m.expmap0(tf.scalar(1))).message).toContain('[] (rank 0)');
    expect(thrown(() => m.logmap0(tf.zeros([2, 2, 2]))).message).toContain('[2,2,2]');
    expect(thrown(() => m.dist0(tf.zeros([2, 3], 'int32'))).message).toContain('int32');
    expect(thrown(() => m.dist0(tf.zeros([2, 0]))).message).toContain('[2,0]');
  });

  it('mobiusMatvec checks W against x', () => {
    const e = thrown(() => m.mobiusMatvec(a, tf.zeros([2, 4])));
    expect(e.message).toContain('[2,4]');
    expect(e.message).toContain('[1,3]');
    expect(thrown(() => m.mobiusMatvec(a, tf.zeros([3]))).message).toContain('[in, out]');
  });

  it('mobiusScalarMul checks r', () => {
    expect(thrown(() => m.mobiusScalarMul(NaN, a)).message).toContain('finite');
    expect(thrown(() => m.mobiusScalarMul(tf.ones([2]), batch3)).message).toContain('[2]');
    expect(values(m.mobiusScalarMul(tf.tensor1d([1, 2, 3]), batch3))).toHaveLength(9);
  });

  it('a [dim] vector works like a [1, dim] batch', () => {
    const v = tf.tensor1d([0.1, 0.2, 0.3]);
    expect(values(m.dist0(v))).toEqual(values(m.dist0(a)));
    expect(values(m.mobiusMatvec(v, tf.eye(3)))).toEqual(values(m.mobiusMatvec(a, tf.eye(3))));
    v.dispose();
  });
});

describe('checkPointOnManifold / assertOnManifold', () => {
  it('explain why a point is off the ball, and accept what project returns', () => {
    const ball = new Stereographic(-1);
    const outside = t2([
      [0.1, 0],
      [0.8, 0.8],
    ]);
    const check = ball.checkPointOnManifold(outside);
    expect(check.ok).toBe(false);
    expect(check.reason).toContain('row 1');
    expect(check.reason).toContain('project');
    const projected = ball.project(outside);
    expect(ball.checkPointOnManifold(projected)).toEqual({ ok: true });
    expect(() => ball.assertOnManifold(projected)).not.toThrow();
    expect(thrown(() => ball.assertOnManifold(outside)).message).toContain('row 1');
    // Inside the ball but beyond the float32 margin: a looser tol accepts it.
    const edge = t2([[0.999, 0]]);
    expect(ball.checkPointOnManifold(edge).ok).toBe(false);
    expect(ball.checkPointOnManifold(edge, 4e-3).ok).toBe(true);
    tf.dispose([outside, projected, edge]);
  });

  it('flag non-finite entries for every curvature', () => {
    for (const k of [-1, 0, 1]) {
      const bad = t2([[0, NaN]]);
      const check = new Stereographic(k).checkPointOnManifold(bad);
      expect(check.ok).toBe(false);
      expect(check.reason).toContain('non-finite');
      bad.dispose();
    }
    const far = t2([[1e6, -1e6]]);
    expect(new Stereographic(1).checkPointOnManifold(far)).toEqual({ ok: true });
    far.dispose();
  });
});

describe('learnable curvature (k a tf.Variable)', () => {
  it('gives the same values as a number curvature, and follows the variable when it changes', () => {
    const kv = tf.variable(tf.scalar(-0.7));
    const learn = new Stereographic(kv);
    expect(learn.name).toBe('Stereographic(k=learnable)');
    const x = t2([
      [0.3, -0.4],
      [0.1, 0.2],
    ]);
    const y = t2([
      [-0.2, 0.1],
      [0.5, 0.1],
    ]);
    expect(values(learn.dist(x, y))).toEqual(values(new Stereographic(-0.7).dist(x, y)));
    kv.assign(tf.scalar(0.4));
    expect(learn.k).toBeCloseTo(0.4, 6);
    const got = values(learn.mobiusAdd(x, y));
    const want = values(new Stereographic(0.4).mobiusAdd(x, y));
    got.forEach((g, i) => {
      expect(g).toBeCloseTo(want[i]!, 6);
    });
    tf.dispose([kv, x, y]);
  });

  it('has finite, correct gradients with respect to k at k = 0, and an optimizer can move k through 0', () => {
    const kv = tf.variable(tf.scalar(0));
    const m = new Stereographic(kv);
    const xs = [[0.3, -0.4, 0.2]];
    const ys = [[-0.5, 0.1, 0.3]];
    const x = t2(xs);
    const y = t2(ys);
    const { value, grads } = tf.variableGrads(() => tf.sum(m.dist(x, y)) as tf.Scalar, [kv]);
    const g = grads[kv.name]!.dataSync()[0]!;
    const h = 1e-5;
    const fd = (ref.dist(xs[0]!, ys[0]!, h) - ref.dist(xs[0]!, ys[0]!, -h)) / (2 * h);
    expect(Number.isFinite(g)).toBe(true);
    expect(g).toBeCloseTo(fd, 4);
    tf.dispose([value, grads[kv.name]!]);
    // Gradient descent on (dist - target)^2 walks k from 0 to where the distance matches.
    const target = ref.dist(xs[0]!, ys[0]!, -0.5);
    // Step size 1 / (4 (d dist / dk)^2): plain SGD then shrinks the error by about 1/2 per step.
    const opt = tf.train.sgd(1 / (4 * fd * fd));
    for (let i = 0; i < 60; i += 1) {
      opt.minimize(() => tf.sum(tf.square(tf.sub(m.dist(x, y), target))) as tf.Scalar);
    }
    expect(m.k).toBeCloseTo(-0.5, 2);
    opt.dispose();
    tf.dispose([kv, x, y]);
  });
});

describe('no tensor leaks across repeated calls', () => {
  for (const [label, makeK] of [
    ['number k < 0', () => -1],
    ['number k > 0', () => 0.5],
    ['k = 0', () => 0],
    ['tf.Variable k', () => tf.variable(tf.scalar(-0.3))],
  ] as const) {
    it(label, () => {
      const k = makeK();
      const m = new Stereographic(k);
      const x = t2([
        [0.1, 0.2, -0.1],
        [0, 0, 0],
      ]);
      const y = t2([
        [-0.3, 0.1, 0.2],
        [0.2, 0.1, 0],
      ]);
      const w = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
      const callAll = (): void => {
        const outs = [
          m.mobiusAdd(x, y),
          m.mobiusScalarMul(2, x),
          m.mobiusMatvec(x, w),
          m.expmap0(x),
          m.logmap0(x),
          m.expmap(x, y),
          m.retract(x, y),
          m.logmap(x, y),
          m.dist(x, y),
          m.dist0(x),
          m.project(x),
          m.lambda(x),
          m.egrad2rgrad(x, y),
          m.inner(x, y, y),
          m.transp(x, y, y),
          m.transp0(y, x),
          m.transp0back(y, x),
          m.gyration(x, y, x),
        ];
        m.checkPointOnManifold(x);
        tf.dispose(outs);
      };
      callAll();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i += 1) callAll();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y, w]);
      if (typeof k !== 'number') k.dispose();
    });
  }
});

describe('ManifoldError', () => {
  it('is recognised by its marker across copies of the package', () => {
    const e = new ManifoldError('bad');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ManifoldError');
    expect(ManifoldError.isInstance(e)).toBe(true);
    expect(ManifoldError.isInstance(new Error('bad'))).toBe(false);
    expect(ManifoldError.isInstance(null)).toBe(false);
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('curvad.error.manifolds')]: true });
    expect(ManifoldError.isInstance(foreign)).toBe(true);
  });
});
