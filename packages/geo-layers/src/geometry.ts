import type * as tf from '@tensorflow/tfjs-core';
import { Stereographic } from '@curvad/manifolds';

/** The kappa-stereographic model of @curvad/manifolds for a layer's curvature (a number or a learned scalar tensor). */
export function stereographic(k: number | tf.Scalar): Stereographic {
  return new Stereographic(k);
}
