/**
 * The embedded sphere S_k = { x in R^n : |x| = 1 / sqrt(k) }, k > 0: paper Eq. 1 (the spherical
 * space of constant positive curvature k) and Eq. 2 (ToSphere: x / (sqrt(k) |x|)).
 *
 * Free functions on rows (the last axis); the `Sphere` class binds `k` and validates input.
 * Every function assumes its points lie on the sphere (call `sphereProject` first otherwise).
 *
 * Numerics (float32):
 * - Norms are computed as m * sqrt(sum((x / m)^2)) with m = max |x_i|, so rows of norm 1e-30 or
 *   1e30 neither underflow nor overflow, and the result is floored at NORM_FLOOR, which keeps
 *   every gradient finite at the zero vector (tf.norm's gradient is NaN there).
 * - The geodesic distance is R * 2 atan2(|x - y|, |x + y|), not R * arccos(<x, y> / R^2): arccos
 *   loses all digits near 0 and pi (an angle of 1e-4 comes out as 0 or 3.4e-4 in float32) and its
 *   gradient is infinite there; the atan2 form is accurate to a few ulps over [0, pi].
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Smallest norm a row is given (and the largest max-abs entry treated as a zero row). Far below
 * any meaningful float32 norm, yet a normal float32 (the smallest is 1.2e-38), so dividing by it
 * is finite.
 */
export const NORM_FLOOR = 1e-30;

/** Sphere radius 1 / sqrt(k). */
export function sphereRadius(k: number): number {
  return 1 / Math.sqrt(k);
}

/** Row-wise inner product <a, b> over the last axis, keeping that axis (shape [..., 1]). */
export function rowDot(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(a, b), -1, true));
}

/**
 * Euclidean norm of each row (shape [..., 1]), scaled by the row's max-abs entry so it neither
 * under- nor overflows, and floored at NORM_FLOOR with a zero gradient below it.
 */
export function rowNorm(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // The norm does not depend on the scale (its derivative through it is exactly zero), and
    // differentiating x / scale through scale gives 0 / 0 at the zero row: keep it constant.
    const scale = stopGradient(tf.maximum(tf.max(tf.abs(x), -1, true), NORM_FLOOR));
    const scaledSquares = tf.sum(tf.square(tf.div(x, scale)), -1, true);
    // A nonzero row has scaledSquares >= 1 (its largest entry scales to exactly 1); only rows
    // below NORM_FLOOR fall under 1, and clamping them there makes their norm NORM_FLOOR.
    return tf.mul(scale, tf.sqrt(tf.maximum(scaledSquares, 1)));
  });
}

/**
 * Project rows onto the sphere: x / (sqrt(k) |x|) (paper Eq. 2). A zero row (max |x_i| below
 * NORM_FLOOR) has no nearest point (all are equally near); it is sent to the pole R e_1 so the
 * result is always on the sphere, with a zero gradient.
 */
export function sphereProject(x: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const dim = x.shape[x.shape.length - 1] as number;
    const poleValues = new Float32Array(dim);
    poleValues[0] = 1;
    // x + [row is zero] * e_1: equal to x on every other row, and the identity for gradients.
    const safe = tf.add(x, tf.mul(zeroRowMask(x), tf.tensor1d(poleValues)));
    return tf.div(safe, tf.mul(rowNorm(safe), Math.sqrt(k)));
  });
}

/** The value of x, treated as a constant by gradients (tfjs-core has no stopGradient op). */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy)],
})) as unknown as CustomGradientFunc) as unknown as (x: tf.Tensor) => tf.Tensor;

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/**
 * 1 for rows whose max |x_i| is below NORM_FLOOR, else 0 (shape [..., 1]); a constant for
 * gradients (a comparison has no gradient in tfjs: it throws, so it is computed inside customGrad).
 */
const zeroRowMask = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.cast(tf.less(tf.max(tf.abs(x), -1, true), NORM_FLOOR), 'float32'),
  gradFunc: () => [tf.zeros(x.shape)],
})) as unknown as CustomGradientFunc) as unknown as (x: tf.Tensor) => tf.Tensor;

/** Tangent projection at x: u - (<x, u> / R^2) x. Also the Riemannian gradient of a Euclidean one. */
export function sphereProju(x: tf.Tensor, u: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => tf.sub(u, tf.mul(x, tf.mul(rowDot(x, u), k))));
}

/** Angle between rows in [0, pi], as 2 atan2(|x - y|, |x + y|) (accurate near 0 and pi). */
export function sphereAngle(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.atan2(rowNorm(tf.sub(x, y)), rowNorm(tf.add(x, y))), 2));
}

/** Geodesic (great-circle) distance R * angle, keeping the last axis (shape [..., 1]). */
export function sphereDistKeepDims(x: tf.Tensor, y: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => tf.mul(sphereAngle(x, y), sphereRadius(k)));
}

/**
 * Angles below this use sin(t)/t = sin(T)/T at T = SINC_FLOOR: the two differ by T^2/6 = 2e-9,
 * under float32 resolution, and the floor keeps the gradient finite at t = 0 (where sin(t)/t is
 * 0/0 and its autodiff derivative divides by t^2).
 */
export const SINC_FLOOR = 1e-4;

/**
 * Largest angle logmap divides by sin of: near pi (the cut locus, y = -x) the direction to y is
 * undefined and t / sin(t) blows up; capping keeps the output finite (at most ~3e3 times the
 * float noise of the direction).
 */
export const LOGMAP_MAX_ANGLE = Math.PI - 1e-3;

/**
 * Exponential map: cos(|u| / R) x + sinc(|u| / R) u, reprojected to remove float drift
 * (R sin(|u|/R) / |u| = sinc(|u| / R)).
 */
export function sphereExpmap(x: tf.Tensor, u: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const angle = tf.div(rowNorm(u), sphereRadius(k));
    const safeAngle = tf.maximum(angle, SINC_FLOOR);
    const along = tf.div(tf.sin(safeAngle), safeAngle);
    return sphereProject(tf.add(tf.mul(tf.cos(angle), x), tf.mul(along, u)), k);
  });
}

/** Retraction project(x + u): first-order agreement with the exponential map, cheaper. */
export function sphereRetract(x: tf.Tensor, u: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => sphereProject(tf.add(x, u), k));
}

/**
 * Logarithmic map: the tangent at x of length dist(x, y) pointing to y. The direction is the
 * tangent part of y - x, whose length is R sin(t) (t the angle), so the map is that direction
 * times t / sin(t). At y = -x (the cut locus) every direction is a shortest path and the result
 * is not meaningful; t is capped at LOGMAP_MAX_ANGLE to keep it finite.
 */
export function sphereLogmap(x: tf.Tensor, y: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const direction = sphereProju(x, tf.sub(y, x), k);
    const angle = tf.minimum(tf.maximum(sphereAngle(x, y), SINC_FLOOR), LOGMAP_MAX_ANGLE);
    return tf.mul(direction, tf.div(angle, tf.sin(angle)));
  });
}

/**
 * Parallel transport of tangent v from x to y along the shortest geodesic:
 * v - <y, v> / (R^2 + <x, y>) (x + y) (a rotation in the plane of x and y). Undefined at y = -x;
 * the denominator is floored there so the output stays finite.
 */
export function sphereTransp(x: tf.Tensor, y: tf.Tensor, v: tf.Tensor, k: number): tf.Tensor {
  return tf.tidy(() => {
    const radiusSq = 1 / k;
    const denominator = tf.maximum(tf.add(rowDot(x, y), radiusSq), radiusSq * ANTIPODAL_FLOOR);
    return tf.sub(v, tf.mul(tf.div(rowDot(y, v), denominator), tf.add(x, y)));
  });
}

/** Relative floor of R^2 + <x, y> near antipodal points, where transport is undefined. */
export const ANTIPODAL_FLOOR = 1e-12;
