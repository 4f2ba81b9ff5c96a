// Unit-norm rows and columns: the direction part of Eq. 2 (ToSphere) and of the AngularLinear
// prototypes, from @curvad/manifolds' Sphere. Sphere(k) binds a numeric k while a layer's curvature
// may be a learned tensor, so the layers project onto the unit sphere and apply the radius
// 1/sqrt(k) as a factor.

import { Sphere } from '@curvad/manifolds';
import * as tf from '@tensorflow/tfjs-core';

const UNIT_SPHERE = new Sphere(1);

/** Rows of [batch, dim] scaled to unit norm (a zero row goes to the pole e_1, see Sphere.project). */
export function unitRows(x: tf.Tensor): tf.Tensor {
  return UNIT_SPHERE.project(x);
}

/** Columns of a [in, out] kernel scaled to unit norm, still [in, out]. */
export function unitColumns(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.transpose(UNIT_SPHERE.project(tf.transpose(w))));
}
