/**
 * Functional core of the kappa-stereographic model (geoopt style: free functions, curvature `k`
 * passed explicitly, no projection, no input validation; `Stereographic` adds those).
 *
 * Sources: Moebius addition is the paper's Eq. 5 (printed for k < 0 with |k|; here the signed-k form
 * of Bachmann et al. 2020, which equals it for k < 0 and covers k >= 0); Moebius matvec is Eq. 7; the
 * distance is Eq. 6, d(x, y) = 2 artan_k(|(-x) (+) y|). The paper prints x (+) y inside the norm:
 * the distance needs the Moebius difference (-x) (+) y, as in Ganea et al. 2018, which we use.
 *
 * Conventions: points and tangent vectors are rows (the last axis is the vector, any leading shape
 * broadcasts); a linear map is x . W with W of shape [in, out]. The metric is lambda_x^2 I with the
 * conformal factor lambda_x = 2 / (1 + k |x|^2), so lambda_0 = 2: tangent vectors at 0 have Riemannian
 * length 2 |u|, hence dist0(x) = 2 |logmap0(x)| and, at k = 0, dist(x, y) = 2 |x - y|.
 *
 * Numerics: every map is written as a row vector times a per-row coefficient built from the scale
 * functions of curvature-trig.ts (f_k(r) = r S(k r^2)), so no formula divides by a norm: tiny and zero
 * vectors are exact and have finite gradients. Moebius denominators use the form
 * (1 - k<x,y>)^2 + k^2 (|x|^2 |y|^2 - <x,y>^2), a sum of two non-negative terms, instead of
 * 1 - 2k<x,y> + k^2 |x|^2 |y|^2, which cancels catastrophically for y near -x at the ball boundary.
 */
import * as tf from '@tensorflow/tfjs-core';

import { BALL_EPS, MIN_DENOMINATOR, MIN_SQ_NORM, NO_BOUND } from './constants';
import { artanScale, artanScaleWithComplement, type Curvature, isFlat, tanScale } from './curvature-trig';
import { guardedNorm, rowDot, scaleRows, sqNorm } from './elementary';

export type { Curvature } from './curvature-trig';

/**
 * The Moebius-type denominator 1 - 2k<x,y> + k^2 |x|^2 |y|^2, computed as a sum of non-negative terms
 * (Lagrange's identity: |x|^2 |y|^2 - <x,y>^2 >= 0) and floored at MIN_DENOMINATOR.
 */
function moebiusDenominator(x2: tf.Tensor, y2: tf.Tensor, xy: tf.Tensor, k: Curvature): tf.Tensor {
  const first = tf.square(tf.sub(1, tf.mul(k, xy)));
  const lagrange = tf.relu(tf.sub(tf.mul(x2, y2), tf.square(xy)));
  const kSquared = typeof k === 'number' ? k * k : tf.square(k);
  return tf.maximum(tf.add(first, tf.mul(kSquared, lagrange)), MIN_DENOMINATOR);
}

/**
 * 1 + k |(-x) (+) y|^2 in factored form, (1 + k|x|^2)(1 + k|y|^2) / (1 + 2k<x,y> + k^2 |x|^2 |y|^2): near
 * the ball boundary this keeps the digits that 1 + k |s|^2 computed from s itself loses.
 */
function moebiusDifferenceComplement(
  x2: tf.Tensor,
  y2: tf.Tensor,
  xy: tf.Tensor,
  k: Curvature,
  differenceDenominator = moebiusDenominator(x2, y2, tf.neg(xy), k),
): tf.Tensor {
  const num = tf.mul(tf.add(1, tf.mul(k, x2)), tf.add(1, tf.mul(k, y2)));
  return tf.div(num, differenceDenominator);
}

/** x (+)_k y (paper Eq. 5 in signed-k form). */
export function mobiusAdd(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.add(x, y);
  return tf.tidy(() => {
    const x2 = sqNorm(x);
    const y2 = sqNorm(y);
    const xy = rowDot(x, y);
    const a = tf.sub(tf.sub(1, tf.mul(tf.mul(2, k), xy)), tf.mul(k, y2));
    const b = tf.add(1, tf.mul(k, x2));
    const den = moebiusDenominator(x2, y2, xy, k);
    return tf.add(scaleRows(tf.div(a, den), x), scaleRows(tf.div(b, den), y));
  });
}

/** Scalar factor as a tensor that broadcasts against rows: a number, a [batch] or a [batch, 1] tensor. */
function rowScalar(r: number | tf.Tensor, x: tf.Tensor): number | tf.Tensor {
  if (typeof r === 'number') return r;
  if (r.rank === x.rank - 1 && r.rank > 0) return tf.expandDims(r, -1);
  return r;
}

/** r (x)_k x = tan_k(r artan_k(|x|)) x / |x|; r a number, [batch] or [batch, 1]. */
export function mobiusScalarMul(r: number | tf.Tensor, x: tf.Tensor, k: Curvature): tf.Tensor {
  return tf.tidy(() => {
    const rr = rowScalar(r, x);
    if (isFlat(k)) return tf.mul(rr, x);
    const x2 = sqNorm(x);
    const artan = artanScale(tf.mul(k, x2), k);
    // tangent length t = r |x| artanScale; tan_k(t) x / |x| = r artanScale tanScale(k t^2) x.
    const t2 = tf.mul(tf.mul(tf.square(rr), x2), tf.square(artan));
    const coef = tf.mul(tf.mul(rr, artan), tanScale(tf.mul(k, t2), k));
    return scaleRows(coef, x);
  });
}

/**
 * Moebius matrix-vector product (paper Eq. 7) in row convention: tan_k(|xW| / |x| artan_k(|x|)) xW / |xW|,
 * x of shape [batch, in] (or [in]), w of shape [in, out]. A zero row of xW (or of x) gives a zero row.
 */
export function mobiusMatvec(x: tf.Tensor, w: tf.Tensor, k: Curvature): tf.Tensor {
  return tf.tidy(() => {
    const rows = x.rank === 1 ? tf.expandDims(x, 0) : x;
    const mx = tf.matMul(rows, w);
    let out: tf.Tensor;
    if (isFlat(k)) {
      out = mx;
    } else {
      const artan = artanScale(tf.mul(k, sqNorm(rows)), k);
      const t2 = tf.mul(sqNorm(mx), tf.square(artan));
      out = scaleRows(tf.mul(artan, tanScale(tf.mul(k, t2), k)), mx);
    }
    return x.rank === 1 ? tf.squeeze(out, [0]) : out;
  });
}

/** Conformal factor lambda_x = 2 / (1 + k |x|^2), with a size-1 last axis (or without, keepDims = false). */
export function lambda(x: tf.Tensor, k: Curvature, keepDims = true): tf.Tensor {
  return tf.tidy(() => {
    if (isFlat(k)) return tf.fill(keepDims ? [...x.shape.slice(0, -1), 1] : x.shape.slice(0, -1), 2);
    const value = tf.div(2, tf.maximum(tf.add(1, tf.mul(k, sqNorm(x))), MIN_DENOMINATOR));
    return keepDims ? value : tf.squeeze(value, [-1]);
  });
}

/** Exponential map at the origin, tan_k(|u|) u / |u|. */
export function expmap0(u: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(u);
  return tf.tidy(() => scaleRows(tanScale(tf.mul(k, sqNorm(u)), k), u));
}

/** Logarithmic map at the origin, artan_k(|y|) y / |y|. */
export function logmap0(y: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(y);
  return tf.tidy(() => {
    const z = tf.mul(k, sqNorm(y));
    return scaleRows(artanScaleWithComplement(z, tf.add(1, z), k), y);
  });
}

/** Exponential map at x, x (+) tan_k(lambda_x |u| / 2) u / |u|. */
export function expmap(x: tf.Tensor, u: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.add(x, u);
  return tf.tidy(() => {
    // lambda_x / 2 = 1 / (1 + k |x|^2); the tangent length is t = (lambda_x / 2) |u|.
    const halfLambda = tf.div(1, tf.maximum(tf.add(1, tf.mul(k, sqNorm(x))), MIN_DENOMINATOR));
    const t2 = tf.mul(tf.square(halfLambda), sqNorm(u));
    const step = scaleRows(tf.mul(halfLambda, tanScale(tf.mul(k, t2), k)), u);
    return mobiusAdd(x, step, k);
  });
}

/** Logarithmic map at x, (2 / lambda_x) artan_k(|s|) s / |s| with s = (-x) (+) y. */
export function logmap(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.sub(y, x);
  return tf.tidy(() => {
    const x2 = sqNorm(x);
    const y2 = sqNorm(y);
    const s = mobiusAdd(tf.neg(x), y, k);
    const twoOverLambda = tf.add(1, tf.mul(k, x2));
    const artan = artanScaleWithComplement(tf.mul(k, sqNorm(s)), moebiusDifferenceComplement(x2, y2, rowDot(x, y), k), k);
    return scaleRows(tf.mul(twoOverLambda, artan), s);
  });
}

/**
 * Geodesic distance (paper Eq. 6), 2 artan_k(|(-x) (+) y|), over the last axis (which is dropped).
 * |(-x) (+) y| is computed as |x - y| / sqrt(1 + 2k<x,y> + k^2 |x|^2 |y|^2) so that nearby points
 * keep the digits of x - y instead of a cancelling Moebius sum.
 */
export function dist(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  return tf.tidy(() => {
    const diffNorm = guardedNorm(tf.sub(x, y), false);
    if (isFlat(k)) return tf.mul(2, diffNorm);
    const x2 = sqNorm(x);
    const y2 = sqNorm(y);
    const xy = rowDot(x, y);
    const den = moebiusDenominator(x2, y2, tf.neg(xy), k);
    const s = tf.div(diffNorm, tf.sqrt(tf.squeeze(den, [-1])));
    const complement = tf.squeeze(moebiusDifferenceComplement(x2, y2, xy, k, den), [-1]);
    return tf.mul(tf.mul(2, s), artanScaleWithComplement(tf.mul(k, tf.square(s)), complement, k));
  });
}

/** Distance to the origin, 2 artan_k(|x|), over the last axis (which is dropped). */
export function dist0(x: tf.Tensor, k: Curvature): tf.Tensor {
  return tf.tidy(() => {
    const r = guardedNorm(x, false);
    if (isFlat(k)) return tf.mul(2, r);
    const z = tf.mul(k, tf.square(r));
    return tf.mul(tf.mul(2, r), artanScaleWithComplement(z, tf.add(1, z), k));
  });
}

/**
 * Per-row factor min(1, maxNorm / |x|) that pulls rows of squared norm `sq` ([..., 1]) back to
 * sqrt|k| |x| <= 1 - BALL_EPS; only meaningful for k < 0 (a tensor k >= 0 gives a bound of NO_BOUND).
 */
function ballClipFactor(sq: tf.Tensor, k: Curvature): tf.Tensor {
  let maxNorm: tf.Tensor | number;
  if (typeof k === 'number') {
    maxNorm = (1 - BALL_EPS) / Math.sqrt(-k);
  } else {
    const negK = tf.neg(k);
    maxNorm = tf.where(
      tf.greaterEqual(negK, 0),
      tf.div(1 - BALL_EPS, tf.sqrt(tf.maximum(negK, 1 / (NO_BOUND * NO_BOUND)))),
      tf.scalar(NO_BOUND),
    );
  }
  return tf.minimum(1, tf.div(maxNorm, tf.sqrt(tf.maximum(sq, MIN_SQ_NORM))));
}

/**
 * For k < 0, pull rows with sqrt|k| |x| > 1 - BALL_EPS back radially onto that radius; for k >= 0 every
 * point of R^n is a point of the model (the sphere's stereographic chart), so x is returned unchanged.
 */
export function project(x: tf.Tensor, k: Curvature): tf.Tensor {
  if (typeof k === 'number' && k >= 0) return tf.clone(x);
  return tf.tidy(() => scaleRows(ballClipFactor(sqNorm(x), k), x));
}

/**
 * project(expmap0(u)) in one pass over u: the output norm tanScale(k|u|^2) |u| is known per row, so the
 * clip folds into the row coefficient (the class's expmap0 and the benchmarked path).
 */
export function expmap0Projected(u: tf.Tensor, k: Curvature): tf.Tensor {
  if (typeof k === 'number' && k >= 0) return expmap0(u, k);
  return tf.tidy(() => {
    const u2 = sqNorm(u);
    const coef = tanScale(tf.mul(k, u2), k);
    return scaleRows(tf.mul(coef, ballClipFactor(tf.mul(tf.square(coef), u2), k)), u);
  });
}

/** Riemannian gradient from the Euclidean one: g / lambda_x^2 = g (1 + k |x|^2)^2 / 4. */
export function egrad2rgrad(x: tf.Tensor, g: tf.Tensor, k: Curvature): tf.Tensor {
  return tf.tidy(() => {
    if (isFlat(k)) return tf.mul(0.25, g);
    return scaleRows(tf.mul(0.25, tf.square(tf.add(1, tf.mul(k, sqNorm(x))))), g);
  });
}

/** Riemannian inner product lambda_x^2 <u, v> over the last axis (dropped unless keepDims). */
export function inner(x: tf.Tensor, u: tf.Tensor, v: tf.Tensor, k: Curvature, keepDims = false): tf.Tensor {
  return tf.tidy(() => {
    const value = tf.mul(tf.square(lambda(x, k)), rowDot(u, v));
    return keepDims ? value : tf.squeeze(value, [-1]);
  });
}

/** Gyration gyr[u, v] w = -(u (+) v) (+) (u (+) (v (+) w)), in closed form. */
export function gyration(u: tf.Tensor, v: tf.Tensor, w: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(w);
  return tf.tidy(() => {
    const u2 = sqNorm(u);
    const v2 = sqNorm(v);
    const uv = rowDot(u, v);
    const uw = rowDot(u, w);
    const vw = rowDot(v, w);
    const k2 = tf.square(k);
    const a = tf.add(tf.sub(tf.neg(tf.mul(tf.mul(k2, uw), v2)), tf.mul(k, vw)), tf.mul(tf.mul(tf.mul(2, k2), uv), vw));
    const b = tf.add(tf.neg(tf.mul(tf.mul(k2, vw), u2)), tf.mul(k, uw));
    const twoOverDen = tf.div(2, moebiusDenominator(u2, v2, uv, k));
    return tf.add(w, tf.add(scaleRows(tf.mul(twoOverDen, a), u), scaleRows(tf.mul(twoOverDen, b), v)));
  });
}

/** Parallel transport of tangent v from x to y: gyr[y, -x] v lambda_x / lambda_y. */
export function transp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(v);
  return tf.tidy(() => {
    const ratio = tf.div(tf.add(1, tf.mul(k, sqNorm(y))), tf.maximum(tf.add(1, tf.mul(k, sqNorm(x))), MIN_DENOMINATOR));
    return scaleRows(ratio, gyration(y, tf.neg(x), v, k));
  });
}

/** Parallel transport of tangent v from the origin to y: v lambda_0 / lambda_y = v (1 + k |y|^2). */
export function transp0(y: tf.Tensor, v: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(v);
  return tf.tidy(() => scaleRows(tf.add(1, tf.mul(k, sqNorm(y))), v));
}

/** Parallel transport of tangent v from x back to the origin: v lambda_x / lambda_0 = v / (1 + k |x|^2). */
export function transp0back(x: tf.Tensor, v: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(v);
  return tf.tidy(() => scaleRows(tf.div(1, tf.maximum(tf.add(1, tf.mul(k, sqNorm(x))), MIN_DENOMINATOR)), v));
}
