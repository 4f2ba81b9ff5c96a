// The boundary margin xi of the Poincare maps (paper Eq. 4: clip radius (1 - xi)/sqrt|k|) and the
// float32 floor below which a margin is refused, never silently raised.
//
// Why @curvad/manifolds has a 4e-3 margin (BALL_EPS, geoopt's float32 value): its project() is applied
// after every operation that returns a point (Moebius sums, matvecs, expmaps), and points that go on
// into further Moebius operations lose digits near the boundary (1 - |k| |x|^2 enters every
// denominator). A ToPoincare output feeds one classifier and one distance, so a smaller margin is
// safe in float32 down to MIN_XI: the released code (hyptorch's project) uses 1e-3 in float32.
// ToPoincare therefore maps with the manifolds' unprojected expmap0 and clips at the margin it is
// given, and HypMLR guards its input at the MIN_XI radius, so the margin asked for is the one used.

import { guardedNorm } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';
import { GeoLayersError } from './errors';

/**
 * Default boundary margin xi: 4e-3, the float32 ball margin of @curvad/manifolds (geoopt's BALL_EPS),
 * so 1 - |k| ||x||^2 >= 8e-3 stays far above float32 roundoff. (The released code uses 1e-3.)
 */
export const DEFAULT_XI = 4e-3;

/**
 * Smallest accepted margin. At the clip radius 1 - |k| r^2 = xi (2 - xi) >= 2e-4, about 3,000 float32
 * ulps of 1, so the conformal factor and z_H's artanh argument keep a relative error <= 3e-4, and
 * artanh(1 - 1e-4) = 4.95 stays far from the manifolds' ARTANH_MAX clamp. Below it the distance to the
 * origin and the MLR's 1 - |k| ||(-p) (+) x||^2 lose most of their digits.
 */
export const MIN_XI = 1e-4;

/** The feature axis of [batch, dim] rows (guardedNorm's explicit-axis form). */
const ROW_AXIS = -1;

/** Validates a margin: a finite number in [MIN_XI, 1), else a GeoLayersError naming the floor. */
export function checkXi(value: unknown, owner: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    throw new GeoLayersError(`${owner}: xi (the boundary margin) must be a number in [${MIN_XI}, 1), got ${String(value)}.`);
  }
  if (value < MIN_XI) {
    throw new GeoLayersError(
      `${owner}: xi = ${value} is below the float32 floor MIN_XI = ${MIN_XI} (at that margin 1 - |k| ||x||^2 is ` +
        `within a few float32 roundoffs of 0 and distances lose their digits). Pass xi >= ${MIN_XI}; the released ` +
        'code uses 1e-3.',
    );
  }
  return value;
}

/** Rows scaled by min(1, radius/||x||): the continuous radial clip. */
export function clipRows(x: tf.Tensor, radius: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => tf.mul(x, tf.minimum(1, tf.div(radius, guardedNorm(x, true, ROW_AXIS)))));
}

/** Rows clipped to the ball radius (1 - xi)/sqrt|k| (k < 0, a number or scalar tensor). */
export function clipToBall(x: tf.Tensor, k: tf.Scalar | number, xi: number): tf.Tensor {
  return tf.tidy(() => clipRows(x, tf.div(1 - xi, tf.sqrt(tf.abs(k))) as tf.Scalar));
}
