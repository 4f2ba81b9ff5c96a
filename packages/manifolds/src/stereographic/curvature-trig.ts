/**
 * The curvature-dependent trigonometry of the kappa-stereographic model (Bachmann, Becigneul &
 * Ganea 2020, "Constant Curvature Graph Convolutional Networks", Sec. 2):
 *
 *   tan_k(r)   = tan(sqrt(k) r) / sqrt(k)      (k > 0),  tanh(sqrt(-k) r) / sqrt(-k)   (k < 0),  r (k = 0)
 *   artan_k(r) = atan(sqrt(k) r) / sqrt(k),               artanh(sqrt(-k) r) / sqrt(-k),         r
 *   sin_k(r)   = sin(sqrt(k) r) / sqrt(k),                sinh(sqrt(-k) r) / sqrt(-k),           r
 *   arsin_k(r) = asin(sqrt(k) r) / sqrt(k),               asinh(sqrt(-k) r) / sqrt(-k),          r
 *
 * Each is written as f_k(r) = r * S(k r^2) with a "scale" S of the single signed variable z = k r^2, e.g.
 * S_tan(z) = tan(sqrt z) / sqrt z for z > 0 and tanh(sqrt -z) / sqrt -z for z < 0. For |z| below
 * SERIES_THRESHOLD, S is its Taylor series in z (the same series for both signs), so every function is
 * smooth through k = 0 and exact for tiny r; the gradient with respect to k at k = 0 is r^3 S'(0).
 * The scale form also lets the Moebius formulas avoid dividing by norms (see math.ts).
 *
 * k is a JS number or a scalar tensor (e.g. a tf.Variable for learnable curvature). With a number the
 * sign is known and only one closed form is evaluated; with a tensor both are, and tf.where picks one.
 * Conditions use tf.greaterEqual, the one comparison with a registered gradient (zero): tf.less or
 * tf.greater on a taped value makes tf.grad throw "gradient function not found for Less".
 * Unselected branches are fed safe inputs (sqrt of at least SERIES_THRESHOLD, clamped arguments), so
 * their gradients are finite and tf.where's zero cotangent does not turn into NaN.
 */
import * as tf from '@tensorflow/tfjs-core';

import { ARCSIN_MAX, ARTANH_MAX, MIN_DENOMINATOR, SERIES_THRESHOLD, SINH_CLAMP } from './constants';
import { arsinh } from './elementary';

/** Signed curvature: a number, or a scalar tensor / tf.Variable (learnable curvature). */
export type Curvature = number | tf.Tensor;

/** The closed forms of one scale function for z > 0 and z < 0, given a = sqrt|z| >= sqrt(SERIES_THRESHOLD). */
interface ScaleFamily {
  /** Coefficients c1, c2, c3 of S(z) = 1 + c1 z + c2 z^2 + c3 z^3 + O(z^4). */
  readonly series: readonly [number, number, number];
  positive(a: tf.Tensor): tf.Tensor;
  negative(a: tf.Tensor): tf.Tensor;
}

const TAN: ScaleFamily = {
  series: [1 / 3, 2 / 15, 17 / 315],
  positive: (a) => tf.div(tf.tan(a), a),
  negative: (a) => tf.div(tf.tanh(a), a),
};

const ARTAN: ScaleFamily = {
  series: [-1 / 3, 1 / 5, -1 / 7],
  positive: (a) => tf.div(tf.atan(a), a),
  negative: (a) => {
    // artanh via log1p on a >= 0.1 (no sign to handle); the clamp bounds it at the ball boundary.
    const c = tf.minimum(a, ARTANH_MAX);
    return tf.div(tf.mul(0.5, tf.log1p(tf.div(tf.mul(2, c), tf.sub(1, c)))), a);
  },
};

const SIN: ScaleFamily = {
  series: [-1 / 6, 1 / 120, -1 / 5040],
  positive: (a) => tf.div(tf.sin(a), a),
  negative: (a) => tf.div(tf.sinh(tf.minimum(a, SINH_CLAMP)), a),
};

const ARSIN: ScaleFamily = {
  series: [1 / 6, 3 / 40, 5 / 112],
  positive: (a) => tf.div(tf.asin(tf.minimum(a, ARCSIN_MAX)), a),
  negative: (a) => tf.div(arsinh(a), a),
};

function series(z: tf.Tensor, [c1, c2, c3]: readonly [number, number, number]): tf.Tensor {
  return tf.add(1, tf.mul(z, tf.add(c1, tf.mul(z, tf.add(c2, tf.mul(z, c3))))));
}

/**
 * S(z) for z = k r^2 (any shape); `k` only tells which closed form(s) to evaluate. `negative` replaces
 * the family's z < 0 closed form (see artanScaleWithComplement).
 */
function scale(family: ScaleFamily, z: tf.Tensor, k: Curvature, negative: (a: tf.Tensor) => tf.Tensor = family.negative): tf.Tensor {
  return tf.tidy(() => {
    const absZ = tf.abs(z);
    const a = tf.sqrt(tf.maximum(absZ, SERIES_THRESHOLD));
    let closedForm: tf.Tensor;
    if (typeof k === 'number') {
      closedForm = k > 0 ? family.positive(a) : negative(a);
    } else {
      closedForm = tf.where(tf.greaterEqual(z, 0), family.positive(a), negative(a));
    }
    return tf.where(tf.greaterEqual(absZ, SERIES_THRESHOLD), closedForm, series(z, family.series));
  });
}

/** tan_k scale: tan_k(r) = r * tanScale(k r^2). `z` is k r^2. */
export function tanScale(z: tf.Tensor, k: Curvature): tf.Tensor {
  return scale(TAN, z, k);
}

/** artan_k scale: artan_k(r) = r * artanScale(k r^2). */
export function artanScale(z: tf.Tensor, k: Curvature): tf.Tensor {
  return scale(ARTAN, z, k);
}

/**
 * artanScale(z) given, besides z = k r^2, an accurate value of 1 + z. For k < 0 near the ball boundary,
 * 1 + z = 1 - |k| r^2 is a small difference of nearly equal numbers; callers that know it in factored
 * form (1 + k |x|^2 for a point, (1 + k|x|^2)(1 + k|y|^2) / D for a Moebius difference) pass it here, and
 * artanh(a) is evaluated as log1p(a) - log(1 - a^2) / 2 from it, keeping the digits that
 * log1p(2a / (1 - a)) loses when a rounds near 1.
 */
export function artanScaleWithComplement(z: tf.Tensor, onePlusZ: tf.Tensor, k: Curvature): tf.Tensor {
  if (typeof k === 'number' && k > 0) return artanScale(z, k);
  return scale(ARTAN, z, k, (a) => {
    const c = tf.minimum(a, ARTANH_MAX);
    const logComplement = tf.log(tf.maximum(onePlusZ, MIN_DENOMINATOR));
    return tf.div(tf.sub(tf.log1p(c), tf.mul(0.5, logComplement)), a);
  });
}

/** sin_k scale: sin_k(r) = r * sinScale(k r^2). */
export function sinScale(z: tf.Tensor, k: Curvature): tf.Tensor {
  return scale(SIN, z, k);
}

/** arsin_k scale: arsin_k(r) = r * arsinScale(k r^2). */
export function arsinScale(z: tf.Tensor, k: Curvature): tf.Tensor {
  return scale(ARSIN, z, k);
}

/** True when k is the number 0, where every formula reduces to its flat form and the scales are skipped. */
export function isFlat(k: Curvature): k is 0 {
  return typeof k === 'number' && k === 0;
}

function elementwise(family: ScaleFamily, x: tf.Tensor, k: Curvature): tf.Tensor {
  if (isFlat(k)) return tf.clone(x);
  return tf.tidy(() => tf.mul(x, scale(family, tf.mul(k, tf.square(x)), k)));
}

/** tan_k(x), elementwise. Poles at |x| = pi / (2 sqrt k) for k > 0. */
export function tanK(x: tf.Tensor, k: Curvature): tf.Tensor {
  return elementwise(TAN, x, k);
}

/** artan_k(x), elementwise. For k < 0 the argument is clamped to |x| <= ARTANH_MAX / sqrt(-k). */
export function artanK(x: tf.Tensor, k: Curvature): tf.Tensor {
  return elementwise(ARTAN, x, k);
}

/** sin_k(x), elementwise. */
export function sinK(x: tf.Tensor, k: Curvature): tf.Tensor {
  return elementwise(SIN, x, k);
}

/** arsin_k(x), elementwise. For k > 0 the argument is clamped to |x| <= ARCSIN_MAX / sqrt(k). */
export function arsinK(x: tf.Tensor, k: Curvature): tf.Tensor {
  return elementwise(ARSIN, x, k);
}
