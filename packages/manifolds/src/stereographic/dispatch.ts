/**
 * The one way to the fused kernels (fused/fused-ops.ts) for the three hot row operations: the
 * package's free functions and the `Stereographic` class both call these, so a caller gets the same
 * kernel, and the same numbers, whichever form it uses. Each tries the fused kernel and falls back to
 * the tensor formulas of math.ts (other backends, a recording gradient tape, shapes the kernels do
 * not cover).
 */
import type * as tf from '@tensorflow/tfjs-core';

import { fusedDist, fusedExpmap0, fusedMobiusAdd } from '../fused/fused-ops';
import type { Curvature } from './curvature-trig';
import * as math from './math';

/** x (+)_k y (paper Eq. 5), not projected. */
export function mobiusAdd(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  return fusedMobiusAdd(x, y, k, false) ?? math.mobiusAdd(x, y, k);
}

/** x (+)_k y, pulled back inside the float32-safe ball for k < 0 (what the class returns). */
export function mobiusAddProjected(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  const fused = fusedMobiusAdd(x, y, k, true);
  if (fused) return fused;
  const sum = math.mobiusAdd(x, y, k);
  if (typeof k === 'number' && k >= 0) return sum;
  const out = math.project(sum, k);
  sum.dispose();
  return out;
}

/** Geodesic distance (paper Eq. 6) over the last axis, which is dropped. */
export function dist(x: tf.Tensor, y: tf.Tensor, k: Curvature): tf.Tensor {
  return fusedDist(x, y, k) ?? math.dist(x, y, k);
}

/** Exponential map at the origin, not projected. */
export function expmap0(u: tf.Tensor, k: Curvature): tf.Tensor {
  return fusedExpmap0(u, k, false) ?? math.expmap0(u, k);
}

/** project(expmap0(u)) (what the class returns). */
export function expmap0Projected(u: tf.Tensor, k: Curvature): tf.Tensor {
  return fusedExpmap0(u, k, true) ?? math.expmap0Projected(u, k);
}
