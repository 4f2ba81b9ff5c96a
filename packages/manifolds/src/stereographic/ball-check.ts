/**
 * Is a batch of rows a valid input of the kappa-stereographic maps (dist, dist0, logmap0, logmap, ...)?
 *
 * For k < 0 the model is the OPEN Poincare ball sqrt|k| |x| < 1 (radius 1/sqrt|k|). A row on or past the
 * boundary has no distance (it is infinitely far), but the float32 formulas clamp artanh's argument and
 * return a finite number anyway: the silent failure this check exists for. For k >= 0 every finite row is a
 * point (k = 0: R^n; k > 0: the stereographic chart of the sphere covers R^n, infinity being the antipode
 * of the origin), so only non-finite entries fail. The embedded `Sphere(k)` model is stricter: its points
 * must lie ON the sphere (see `Sphere.checkPointOnManifold`).
 *
 * This is looser than `Stereographic.checkPointOnManifold`, which asks for the float32-safe ball
 * sqrt|k| |x| <= 1 - BALL_EPS that `project` maps onto: a point between the two is a valid input (its
 * distance is accurate to about 1e-5 relative), only not one `project` would return.
 *
 * Cost: one [rows, 2] read-back (per-row squared norm and finiteness are reduced on the backend).
 */
import * as tf from '@tensorflow/tfjs-core';

import { formatShape, ManifoldError } from '../errors';
import type { ManifoldCheck } from '../manifold';

export interface BallCheckOptions {
  /** How the tensor is named in the reason, e.g. `x` or `y`. Default `x`. */
  name?: string;
}

/** Per row: [squared norm, 1 if every entry is finite else 0]. A [dim] vector is one row. */
function rowSummaries(x: tf.Tensor): Float32Array {
  const summary = tf.tidy(() => {
    const rows = x.rank === 1 ? tf.reshape(x, [1, -1]) : x;
    const sq = tf.sum(tf.square(rows), -1);
    const finite = tf.cast(tf.all(tf.isFinite(rows), -1), 'float32');
    return tf.stack([sq, finite], 1);
  });
  const values = summary.dataSync() as Float32Array;
  summary.dispose();
  return values;
}

/**
 * `{ ok: true }` when every row of `x` ([batch, dim] or [dim]) is a point of Stereographic(k) as
 * described above; otherwise `{ ok: false, reason }` naming the first bad row, its norm and the radius.
 * `k` is the curvature as a number (read a tf.Variable curvature with `.dataSync()[0]` first).
 */
export function checkPointsInBall(x: tf.Tensor, k: number, options: BallCheckOptions = {}): ManifoldCheck {
  if (!(x instanceof tf.Tensor) || x.rank < 1 || x.rank > 2) {
    const got = x instanceof tf.Tensor ? `shape ${formatShape(x.shape)}` : typeof x;
    return { ok: false, reason: `expected a [batch, dim] or [dim] tensor, got ${got}` };
  }
  if (typeof k !== 'number' || !Number.isFinite(k)) {
    return { ok: false, reason: `the curvature k must be a finite number, got ${String(k)}` };
  }
  const name = options.name ?? 'x';
  const values = rowSummaries(x);
  const radius = k < 0 ? 1 / Math.sqrt(-k) : Infinity;
  for (let row = 0; 2 * row < values.length; row += 1) {
    const norm = Math.sqrt(values[2 * row]!);
    if (values[2 * row + 1] === 0) {
      return { ok: false, reason: `row ${row} of ${name} (shape ${formatShape(x.shape)}) has a NaN or infinite entry` };
    }
    // Compared as sqrt|k| |x| >= 1, the form the formulas use; Infinity when the squared norm overflows.
    if (k < 0 && Math.sqrt(-k) * norm >= 1) {
      return {
        ok: false,
        reason:
          `row ${row} of ${name} (shape ${formatShape(x.shape)}) has norm ${norm.toPrecision(6)}, on or outside the ` +
          `Poincare ball of radius ${radius.toPrecision(6)} (k = ${k}), where distances and logarithms are undefined`,
      };
    }
  }
  return { ok: true };
}

/**
 * Throws a ManifoldError with the reason of `checkPointsInBall` (prefixed with `where`, e.g.
 * `Stereographic(k=-1).dist0`) and what to do about it.
 */
export function assertPointsInBall(x: tf.Tensor, k: number, where = 'assertPointsInBall', options: BallCheckOptions = {}): void {
  const check = checkPointsInBall(x, k, options);
  if (!check.ok) {
    throw new ManifoldError(
      `${where}: ${check.reason}. Map the points into the ball first (project(x), or expmap0 of a tangent ` +
        'vector) and check that k is the curvature they were made with.',
    );
  }
}
