import type * as tf from '@tensorflow/tfjs-core';

/** Result of an explainable manifold check (geoopt's `check_point_on_manifold(explain=True)`). */
export interface ManifoldCheck {
  ok: boolean;
  /** Why the check failed; `undefined` when `ok`. */
  reason?: string;
}

/**
 * What every manifold in this package offers. Points and tangent vectors are rows: tensors of
 * shape [batch, dim] (a [dim] vector is accepted where documented). Every method is leak-free.
 *
 * The Riemannian optimizers need only `project`, `egrad2rgrad`, `retract` (or `expmap`) and
 * `transp`; the rest is the geometry the layers and scores use.
 */
export interface Manifold {
  /** Short name for messages, e.g. `Stereographic(k=-1)`. */
  readonly name: string;
  /** Signed curvature; `0` for Euclidean. For a product manifold, `NaN` (see its components). */
  readonly k: number;
  /** Map any point to the nearest point of the manifold (inside the ball with margin, onto the sphere). */
  project(x: tf.Tensor): tf.Tensor;
  /** Turn a Euclidean gradient at `x` into the Riemannian gradient. */
  egrad2rgrad(x: tf.Tensor, g: tf.Tensor): tf.Tensor;
  /** Exponential map at `x` of tangent `u`. */
  expmap(x: tf.Tensor, u: tf.Tensor): tf.Tensor;
  /** A first-order retraction at `x` (the exponential map where no cheaper one is offered). */
  retract(x: tf.Tensor, u: tf.Tensor): tf.Tensor;
  /** Logarithmic map: the tangent vector at `x` pointing to `y`. */
  logmap(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /** Geodesic distance, shape [batch]. */
  dist(x: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /** Parallel transport of tangent `v` from `x` to `y`. */
  transp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor): tf.Tensor;
  /** Riemannian inner product of tangents `u`, `v` at `x`, shape [batch]. */
  inner(x: tf.Tensor, u: tf.Tensor, v: tf.Tensor): tf.Tensor;
  /** Is every row of `x` on the manifold within `tol`? Explains itself when not. */
  checkPointOnManifold(x: tf.Tensor, tol?: number): ManifoldCheck;
}
