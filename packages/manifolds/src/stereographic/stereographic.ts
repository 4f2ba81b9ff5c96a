/**
 * `Stereographic(k)`: the kappa-stereographic model of constant curvature k on R^n rows
 * (Bachmann, Becigneul & Ganea 2020), one set of formulas for
 *   k < 0  the Poincare ball of radius 1 / sqrt(-k) (the paper's hyperbolic space, Eq. 4-7),
 *   k = 0  flat R^n with metric 4 I (the limit of the other two; distances are 2 |x - y|),
 *   k > 0  the stereographic projection of the sphere of radius 1 / sqrt(k) (every point of R^n is a
 *          point; infinity is the antipode of the origin).
 * The math lives in math.ts; this class binds k, validates shapes, and projects the points it returns
 * back inside the ball (k < 0) so float32 rounding cannot push them out.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type CheckPointsOption, readCheckPointsOption } from '../check-points-option';
import { formatShape, ManifoldError } from '../errors';
import type { Manifold, ManifoldCheck } from '../manifold';
import { assertPointsInBall } from './ball-check';
import { BALL_EPS, CHECK_TOL } from './constants';
import type { Curvature } from './curvature-trig';
import { dist as dispatchedDist, expmap0Projected, mobiusAddProjected } from './dispatch';
import * as math from './math';

/** A number, or a scalar float32 tensor / tf.Variable (learnable curvature). */
export type CurvatureInput = number | tf.Tensor;

/** Options of `new Stereographic(k, options)`, `PoincareBall(c, options)` and `Euclidean(options)`. */
export type StereographicOptions = CheckPointsOption;

function describeCurvature(k: unknown): string {
  if (k instanceof tf.Tensor) return `a tensor of shape ${formatShape(k.shape)}`;
  return `${typeof k} ${String(k)}`;
}

export class Stereographic implements Manifold {
  /** The curvature as given: a number, or the scalar tensor / tf.Variable itself (read at every call). */
  readonly curvature: Curvature;
  readonly name: string;
  /** Whether point arguments are validated (the `checkPoints` option). */
  readonly checkPoints: boolean;

  constructor(k: CurvatureInput, options?: StereographicOptions) {
    this.checkPoints = readCheckPointsOption(options, 'Stereographic');
    if (typeof k === 'number') {
      if (!Number.isFinite(k)) {
        throw new ManifoldError(`${this.constructor.name}: curvature k must be a finite number; got ${k}.`);
      }
    } else if (k instanceof tf.Tensor) {
      if (k.size !== 1 || k.rank > 1 || k.dtype !== 'float32') {
        throw new ManifoldError(
          `Stereographic: a tensor curvature must be a float32 scalar (e.g. tf.variable(tf.scalar(-1))); ` +
            `got dtype ${k.dtype} and shape ${formatShape(k.shape)}.`,
        );
      }
      // No read-back here: a learned curvature builds a Stereographic every training step, and a
      // dataSync would stall the device each time. The value is checked where it is read (`k`).
    } else {
      throw new ManifoldError(`Stereographic: curvature k must be a number or a scalar tensor; got ${describeCurvature(k)}.`);
    }
    this.curvature = typeof k !== 'number' && k.rank === 1 ? tf.reshape(k, []) : k;
    this.name = typeof k === 'number' ? `Stereographic(k=${k})` : 'Stereographic(k=learnable)';
  }

  /** Current value of k (for a tensor curvature this reads it from the backend, and checks it is finite). */
  get k(): number {
    const k = this.curvature;
    if (typeof k === 'number') return k;
    const value = k.dataSync()[0]!;
    if (!Number.isFinite(value)) {
      throw new ManifoldError(`${this.name}: the curvature tensor holds ${value}; it must be finite.`);
    }
    return value;
  }

  /** Radius 1 / sqrt|k| of the ball (k < 0) or sphere (k > 0); Infinity at k = 0. */
  get radius(): number {
    const k = this.k;
    return k === 0 ? Infinity : 1 / Math.sqrt(Math.abs(k));
  }

  // ---- gyrovector operations -------------------------------------------------------------

  /** Moebius addition x (+)_k y (paper Eq. 5). */
  mobiusAdd(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    this.checkPair('mobiusAdd', 'x', x, 'y', y);
    this.requireInBall('mobiusAdd', ['x', x], ['y', y]);
    return mobiusAddProjected(x, y, this.curvature);
  }

  /** Moebius scalar multiplication r (x)_k x; r a number, [batch] or [batch, 1] tensor. */
  mobiusScalarMul(r: number | tf.Tensor, x: tf.Tensor): tf.Tensor {
    this.checkPoint('mobiusScalarMul', 'x', x);
    this.requireInBall('mobiusScalarMul', ['x', x]);
    if (typeof r === 'number') {
      if (!Number.isFinite(r)) throw new ManifoldError(`${this.name}.mobiusScalarMul: r must be finite; got ${r}.`);
    } else if (r.rank > 0 && r.shape[0] !== x.shape[0] && r.size !== 1) {
      throw new ManifoldError(
        `${this.name}.mobiusScalarMul: r of shape ${formatShape(r.shape)} does not match x of shape ` +
          `${formatShape(x.shape)}; pass a number, a [batch] or a [batch, 1] tensor.`,
      );
    }
    return this.projected(math.mobiusScalarMul(r, x, this.curvature));
  }

  /** Moebius version of x . w (paper Eq. 7), x: [batch, in] (or [in]), w: [in, out]. */
  mobiusMatvec(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
    this.checkPoint('mobiusMatvec', 'x', x);
    this.requireInBall('mobiusMatvec', ['x', x]);
    if (!(w instanceof tf.Tensor) || w.rank !== 2 || w.shape[0] !== x.shape[x.rank - 1]) {
      throw new ManifoldError(
        `${this.name}.mobiusMatvec: w must be a [in, out] matrix with in = ${x.shape[x.rank - 1]} ` +
          `(the last dim of x, shape ${formatShape(x.shape)}); got w of shape ` +
          `${w instanceof tf.Tensor ? formatShape(w.shape) : String(w)}.`,
      );
    }
    return this.projected(math.mobiusMatvec(x, w, this.curvature));
  }

  /** Gyration gyr[x, y] z. */
  gyration(x: tf.Tensor, y: tf.Tensor, z: tf.Tensor): tf.Tensor {
    this.checkPair('gyration', 'x', x, 'y', y);
    this.checkPair('gyration', 'x', x, 'z', z);
    this.requireInBall('gyration', ['x', x], ['y', y]);
    return math.gyration(x, y, z, this.curvature);
  }

  // ---- maps, metric, distances -------------------------------------------------------------

  expmap0(u: tf.Tensor): tf.Tensor {
    this.checkPoint('expmap0', 'u', u);
    return expmap0Projected(u, this.curvature);
  }

  logmap0(y: tf.Tensor): tf.Tensor {
    this.checkPoint('logmap0', 'y', y);
    this.requireInBall('logmap0', ['y', y]);
    return math.logmap0(y, this.curvature);
  }

  expmap(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    this.checkPair('expmap', 'x', x, 'u', u);
    this.requireInBall('expmap', ['x', x]);
    return this.projected(math.expmap(x, u, this.curvature));
  }

  /** The exponential map (exact and cheap here, so it is also the retraction). */
  retract(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    return this.expmap(x, u);
  }

  logmap(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    this.checkPair('logmap', 'x', x, 'y', y);
    this.requireInBall('logmap', ['x', x], ['y', y]);
    return math.logmap(x, y, this.curvature);
  }

  /** Geodesic distance (paper Eq. 6), shape [batch]. */
  dist(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    this.checkPair('dist', 'x', x, 'y', y);
    this.requireInBall('dist', ['x', x], ['y', y]);
    return dispatchedDist(x, y, this.curvature);
  }

  /** Distance to the origin, shape [batch]. */
  dist0(x: tf.Tensor): tf.Tensor {
    this.checkPoint('dist0', 'x', x);
    this.requireInBall('dist0', ['x', x]);
    return math.dist0(x, this.curvature);
  }

  /** Conformal factor 2 / (1 + k |x|^2), shape [batch] (or [batch, 1] with keepDims). */
  lambda(x: tf.Tensor, keepDims = false): tf.Tensor {
    this.checkPoint('lambda', 'x', x);
    this.requireInBall('lambda', ['x', x]);
    return math.lambda(x, this.curvature, keepDims);
  }

  egrad2rgrad(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
    this.checkPair('egrad2rgrad', 'x', x, 'g', g);
    this.requireInBall('egrad2rgrad', ['x', x]);
    return math.egrad2rgrad(x, g, this.curvature);
  }

  /** Riemannian inner product at x, shape [batch]. */
  inner(x: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('inner', 'x', x, 'u', u);
    this.checkPair('inner', 'x', x, 'v', v);
    this.requireInBall('inner', ['x', x]);
    return math.inner(x, u, v, this.curvature);
  }

  /** Parallel transport of tangent v from x to y. */
  transp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('transp', 'x', x, 'y', y);
    this.checkPair('transp', 'x', x, 'v', v);
    this.requireInBall('transp', ['x', x], ['y', y]);
    return math.transp(x, y, v, this.curvature);
  }

  /** Parallel transport of tangent v from the origin to y. */
  transp0(y: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('transp0', 'y', y, 'v', v);
    this.requireInBall('transp0', ['y', y]);
    return math.transp0(y, v, this.curvature);
  }

  /** Parallel transport of tangent v from x to the origin. */
  transp0back(x: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('transp0back', 'x', x, 'v', v);
    this.requireInBall('transp0back', ['x', x]);
    return math.transp0back(x, v, this.curvature);
  }

  /** Rows with sqrt|k| |x| > 1 - BALL_EPS are pulled back onto that radius (k < 0); identity for k >= 0. */
  project(x: tf.Tensor): tf.Tensor {
    this.checkPoint('project', 'x', x);
    return math.project(x, this.curvature);
  }

  // ---- checks ------------------------------------------------------------------------------

  /**
   * Is every row finite and, for k < 0, within the float32-safe ball sqrt|k| |x| <= 1 - BALL_EPS + tol
   * (the set `project` maps onto)? `tol` is in units of the radius.
   */
  checkPointOnManifold(x: tf.Tensor, tol = CHECK_TOL): ManifoldCheck {
    this.checkPoint('checkPointOnManifold', 'x', x);
    const rows = x.rank === 1 ? 1 : x.shape[0]!;
    const dim = x.shape[x.rank - 1]!;
    const values = x.dataSync();
    const k = this.k;
    const limit = 1 - BALL_EPS + tol;
    for (let row = 0; row < rows; row += 1) {
      let sq = 0;
      for (let j = 0; j < dim; j += 1) {
        const v = values[row * dim + j]!;
        if (!Number.isFinite(v)) {
          return { ok: false, reason: `row ${row} of x (shape ${formatShape(x.shape)}) has a non-finite entry ${v}` };
        }
        sq += v * v;
      }
      if (k < 0) {
        const scaled = Math.sqrt(-k * sq);
        if (scaled > limit) {
          return {
            ok: false,
            reason:
              `row ${row} of x (shape ${formatShape(x.shape)}) has sqrt|k| |x| = ${scaled}, outside the ball ` +
              `sqrt|k| |x| <= 1 - ${BALL_EPS} (+ tol ${tol}); call project(x) first`,
          };
        }
      }
    }
    return { ok: true };
  }

  /** Throws a ManifoldError with the reason when `checkPointOnManifold` fails. */
  assertOnManifold(x: tf.Tensor, tol = CHECK_TOL): void {
    const check = this.checkPointOnManifold(x, tol);
    if (!check.ok) throw new ManifoldError(`${this.name}: point not on the manifold: ${check.reason}.`);
  }

  // ---- internals ---------------------------------------------------------------------------

  private projected(y: tf.Tensor): tf.Tensor {
    const k = this.curvature;
    if (typeof k === 'number' && k >= 0) return y;
    const out = math.project(y, k);
    y.dispose();
    return out;
  }

  /** With `checkPoints`, throws unless every row of each named tensor is a point (see `checkPointsInBall`). */
  private requireInBall(op: string, ...points: [string, tf.Tensor][]): void {
    if (!this.checkPoints) return;
    const k = this.k;
    for (const [name, t] of points) assertPointsInBall(t, k, `${this.name}.${op}`, { name });
  }

  private checkPoint(op: string, name: string, t: tf.Tensor): void {
    if (!(t instanceof tf.Tensor)) {
      throw new ManifoldError(`${this.name}.${op}: ${name} must be a tf.Tensor; got ${typeof t}.`);
    }
    if (t.rank < 1 || t.rank > 2) {
      throw new ManifoldError(
        `${this.name}.${op}: ${name} must be a [batch, dim] (or [dim]) tensor; got shape ${formatShape(t.shape)} ` +
          `(rank ${t.rank}). Reshape to [batch, dim] first.`,
      );
    }
    if (t.dtype !== 'float32') {
      throw new ManifoldError(`${this.name}.${op}: ${name} must be float32; got ${t.dtype} (shape ${formatShape(t.shape)}).`);
    }
    if (t.shape[t.rank - 1] === 0) {
      throw new ManifoldError(`${this.name}.${op}: ${name} has an empty last dim (shape ${formatShape(t.shape)}).`);
    }
  }

  private checkPair(op: string, aName: string, a: tf.Tensor, bName: string, b: tf.Tensor): void {
    this.checkPoint(op, aName, a);
    this.checkPoint(op, bName, b);
    const aDim = a.shape[a.rank - 1];
    const bDim = b.shape[b.rank - 1];
    const aBatch = a.rank === 2 ? a.shape[0]! : 1;
    const bBatch = b.rank === 2 ? b.shape[0]! : 1;
    if (aDim !== bDim || (aBatch !== bBatch && aBatch !== 1 && bBatch !== 1)) {
      throw new ManifoldError(
        `${this.name}.${op}: ${aName} of shape ${formatShape(a.shape)} and ${bName} of shape ${formatShape(b.shape)} ` +
          `do not match; both must be [batch, dim] with the same dim and the same batch (or batch 1).`,
      );
    }
  }
}

/** Callable with or without `new`. */
export interface PoincareBallConstructor {
  new (c?: number, options?: StereographicOptions): Stereographic;
  (c?: number, options?: StereographicOptions): Stereographic;
}

/**
 * The Poincare ball of curvature -c (radius 1 / sqrt(c)): `PoincareBall(c)` is `new Stereographic(-c)`.
 * For a learnable curvature use `new Stereographic(variable)` directly.
 */
export const PoincareBall = function PoincareBall(c = 1, options?: StereographicOptions): Stereographic {
  if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0) {
    throw new ManifoldError(
      `PoincareBall(c) needs a finite c > 0 (curvature -c, radius 1/sqrt(c)); got ${String(c)}. Use Euclidean() for c = 0.`,
    );
  }
  const ball = new Stereographic(-c, options);
  Object.defineProperty(ball, 'name', { value: `PoincareBall(c=${c})` });
  return ball;
} as PoincareBallConstructor;

/** Callable with or without `new`. */
export interface EuclideanConstructor {
  new (options?: StereographicOptions): Stereographic;
  (options?: StereographicOptions): Stereographic;
}

/**
 * Flat space as the k = 0 member of the family: the flat formulas (x + y, x . W, x + u, ...) with the
 * model's conformal factor 2 kept, so it is the exact limit of Stereographic(k) as k -> 0 (dist = 2 |x - y|,
 * lambda = 2, egrad2rgrad = g / 4). It is `new Stereographic(0)` under the name `Euclidean`.
 */
export const Euclidean = function Euclidean(options?: StereographicOptions): Stereographic {
  const flat = new Stereographic(0, options);
  Object.defineProperty(flat, 'name', { value: 'Euclidean' });
  return flat;
} as EuclideanConstructor;
