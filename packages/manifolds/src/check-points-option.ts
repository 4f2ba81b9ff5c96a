/**
 * The `checkPoints` option shared by `Stereographic` (and `PoincareBall`, `Euclidean`) and `Sphere`:
 * validating point arguments costs a read-back per call, so it is opt-in and the hot path stays fast.
 */
import { ManifoldError } from './errors';

export interface CheckPointsOption {
  /**
   * Validate the point arguments of every method that needs a point of the manifold and throw a
   * ManifoldError naming the method, the row, its norm and the radius when one is not.
   * - `Stereographic(k)`, k < 0: every row inside the open ball sqrt|k| |x| < 1 (dist, dist0, logmap0,
   *   logmap, expmap's base point, mobiusAdd, mobiusScalarMul, mobiusMatvec, gyration, lambda,
   *   egrad2rgrad, inner, transp, transp0, transp0back); k >= 0: every entry finite (the chart covers R^n).
   * - `Sphere(k)`: every row on the sphere, | |x| - R | <= SPHERE_CHECK_TOL R (dist, logmap, expmap,
   *   retract, proju, egrad2rgrad, inner, transp).
   * Costs one small read-back per checked argument: turn it on while developing, or where inputs come
   * from outside (user data, other libraries). Default false.
   */
  checkPoints?: boolean;
}

const OPTION_KEYS: readonly string[] = ['checkPoints'];

/** Validates the options object (unknown keys, wrong types) and returns the `checkPoints` flag. */
export function readCheckPointsOption(options: unknown, owner: string): boolean {
  if (options === undefined) return false;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ManifoldError(`${owner}: options must be an object such as { checkPoints: true }; got ${String(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw new ManifoldError(`${owner}: unknown option '${key}'; the options are: ${OPTION_KEYS.join(', ')}.`);
    }
  }
  const { checkPoints } = options as CheckPointsOption;
  if (checkPoints !== undefined && typeof checkPoints !== 'boolean') {
    throw new ManifoldError(`${owner}: checkPoints must be true or false; got ${String(checkPoints)}.`);
  }
  return checkPoints ?? false;
}
