/**
 * `Sphere(k)`: the sphere of radius 1 / sqrt(k) embedded in R^n (paper Eq. 1-2), k > 0.
 *
 * This is the model the paper's sphere head uses (ToSphere, Eq. 2; the cosine logits of Eq. 3).
 * Points are rows of [batch, n] tensors (any leading shape works; the last axis is the point).
 * The kappa-stereographic `Stereographic(k > 0)` is the same space in other coordinates; use it
 * when you need gyrovector operations, and this class when you need points on the sphere itself.
 */
import * as tf from '@tensorflow/tfjs-core';

import { type CheckPointsOption, readCheckPointsOption } from '../check-points-option';
import { ManifoldError } from '../errors';
import type { Manifold, ManifoldCheck } from '../manifold';
import {
  rowDot,
  rowNorm,
  sphereDistKeepDims,
  sphereExpmap,
  sphereLogmap,
  sphereProject,
  sphereProju,
  sphereRadius,
  sphereRetract,
  sphereTransp,
} from './math';

/** Default tolerance of `checkPointOnManifold`, relative to the radius: a few float32 ulps of slack over many ops. */
export const SPHERE_CHECK_TOL = 1e-5;

/** Options of `new Sphere(k, options)`. */
export type SphereOptions = CheckPointsOption;

export class Sphere implements Manifold {
  readonly name: string;
  /** Radius 1 / sqrt(k). */
  readonly radius: number;
  /** Whether point arguments are validated (the `checkPoints` option): rows must lie on the sphere. */
  readonly checkPoints: boolean;

  constructor(
    readonly k: number = 1,
    options?: SphereOptions,
  ) {
    if (typeof k !== 'number' || !Number.isFinite(k) || k <= 0) {
      throw new ManifoldError(
        `Sphere(k) needs a finite curvature k > 0 (radius 1/sqrt(k)); got ${String(k)}. ` +
          'Use Stereographic(k) for k <= 0 or a learnable curvature.',
      );
    }
    this.checkPoints = readCheckPointsOption(options, 'Sphere');
    this.name = `Sphere(k=${k})`;
    this.radius = sphereRadius(k);
  }

  /** Nearest point on the sphere, x / (sqrt(k) |x|); a zero row goes to the pole R e_1. */
  project(x: tf.Tensor): tf.Tensor {
    this.checkRank('project', x);
    return sphereProject(x, this.k);
  }

  /** Project u onto the tangent space at x. */
  proju(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    this.checkPair('proju', x, u);
    this.requireOnSphere('proju', ['x', x]);
    return sphereProju(x, u, this.k);
  }

  /** The sphere inherits the Euclidean metric, so the Riemannian gradient is the tangent projection. */
  egrad2rgrad(x: tf.Tensor, g: tf.Tensor): tf.Tensor {
    this.checkPair('egrad2rgrad', x, g);
    this.requireOnSphere('egrad2rgrad', ['x', x]);
    return sphereProju(x, g, this.k);
  }

  expmap(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    this.checkPair('expmap', x, u);
    this.requireOnSphere('expmap', ['x', x]);
    return sphereExpmap(x, u, this.k);
  }

  retract(x: tf.Tensor, u: tf.Tensor): tf.Tensor {
    this.checkPair('retract', x, u);
    this.requireOnSphere('retract', ['x', x]);
    return sphereRetract(x, u, this.k);
  }

  logmap(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    this.checkPair('logmap', x, y);
    this.requireOnSphere('logmap', ['x', x], ['y', y]);
    return sphereLogmap(x, y, this.k);
  }

  /** Great-circle distance, shape [batch]. */
  dist(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
    this.checkPair('dist', x, y);
    this.requireOnSphere('dist', ['x', x], ['y', y]);
    return tf.tidy(() => tf.squeeze(sphereDistKeepDims(x, y, this.k), [-1]));
  }

  transp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('transp', x, y);
    this.checkPair('transp', x, v);
    this.requireOnSphere('transp', ['x', x], ['y', y]);
    return sphereTransp(x, y, v, this.k);
  }

  /** Euclidean inner product of tangents, shape [batch]. */
  inner(x: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Tensor {
    this.checkPair('inner', x, u);
    this.checkPair('inner', u, v);
    this.requireOnSphere('inner', ['x', x]);
    return tf.tidy(() => tf.squeeze(rowDot(u, v), [-1]));
  }

  /**
   * Is every row on the sphere, | |x| - R | <= tol * R? Also fails on NaN or infinite entries.
   * Reads the tensor back (synchronous), so use it in checks and tests, not in a training loop.
   */
  checkPointOnManifold(x: tf.Tensor, tol: number = SPHERE_CHECK_TOL): ManifoldCheck {
    if (x.rank < 1) return { ok: false, reason: `${this.name}: expected rows [batch, dim], got a scalar` };
    const norms = tf.tidy(() => tf.reshape(rowNorm(x), [-1]));
    const values = norms.dataSync();
    norms.dispose();
    for (let i = 0; i < values.length; i += 1) {
      const norm = values[i] as number;
      if (!Number.isFinite(norm)) {
        return { ok: false, reason: `${this.name}: row ${i} has non-finite entries (norm ${norm})` };
      }
      if (Math.abs(norm - this.radius) > tol * this.radius) {
        return {
          ok: false,
          reason:
            `${this.name}: row ${i} has norm ${norm}, not the radius ${this.radius} ` +
            `(tolerance ${tol} relative); call project(x) first`,
        };
      }
    }
    return { ok: true };
  }

  /** Throw a ManifoldError with the reason unless every row is on the sphere. */
  assertOnManifold(x: tf.Tensor, tol: number = SPHERE_CHECK_TOL): void {
    const check = this.checkPointOnManifold(x, tol);
    if (!check.ok) throw new ManifoldError(check.reason ?? `${this.name}: point not on the manifold`);
  }

  /** With `checkPoints`, throws unless every row of each named tensor is on the sphere. */
  private requireOnSphere(op: string, ...points: [string, tf.Tensor][]): void {
    if (!this.checkPoints) return;
    for (const [name, t] of points) {
      const check = this.checkPointOnManifold(t);
      if (!check.ok) {
        // The reason starts with the manifold's name; the method and argument say more here.
        const reason = (check.reason ?? 'not on the sphere').replace(`${this.name}: `, '');
        throw new ManifoldError(`${this.name}.${op}: ${name}: ${reason}, or check that k matches the points' curvature.`);
      }
    }
  }

  private checkRank(op: string, x: tf.Tensor): void {
    if (x.rank < 1) {
      throw new ManifoldError(`${this.name}.${op}: expected rows [batch, dim], got a scalar tensor; reshape to [1, 1]`);
    }
  }

  private checkPair(op: string, a: tf.Tensor, b: tf.Tensor): void {
    this.checkRank(op, a);
    this.checkRank(op, b);
    const lastA = a.shape[a.rank - 1];
    const lastB = b.shape[b.rank - 1];
    if (lastA !== lastB) {
      throw new ManifoldError(
        `${this.name}.${op}: last dimensions differ, [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]; ` +
          'points and tangents must have the same dim',
      );
    }
  }
}
