import { Stereographic } from '@curvad/manifolds';
import type * as tf from '@tensorflow/tfjs-core';

/** The kappa-stereographic model of @curvad/manifolds for a layer's curvature (a number or a learned scalar tensor). */
export function stereographic(k: number | tf.Scalar): Stereographic {
  return new Stereographic(k);
}
