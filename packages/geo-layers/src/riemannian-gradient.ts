// The released code's Riemannian gradient through the Poincare map (hyptorch's RiemannianGradient,
// from Khrulkov et al.'s hyperbolic-image-embeddings): the forward pass is the identity on the mapped
// point y; the backward pass multiplies the incoming gradient by (1 - c ||y||^2)^2 / 4, c = -k, i.e.
// by 1 / lambda_y^2, turning the Euclidean gradient at y into the Riemannian one before it flows back
// through expmap0 to the feature extractor. Beyond the paper's text; an option of ToPoincare.
//
// hyptorch stores c on the class (one global value, the initial c of the last ToPoincare built); here
// each layer uses its own current k. The rescaling is a fixed factor of the backward pass: it sends no
// gradient to k (k still gets its gradient through the map itself).
import * as tf from '@tensorflow/tfjs-core';

/** (1 - c ||y||^2)^2 / 4 per row of y ([batch, 1]), c = -k. */
export function riemannianGradientScale(y: tf.Tensor, k: tf.Scalar | number): tf.Tensor {
  return tf.tidy(() => tf.div(tf.square(tf.add(1, tf.mul(k, tf.sum(tf.square(y), -1, true)))), 4));
}

type CustomGradientFunc = Parameters<typeof tf.customGrad>[0];

/** y unchanged; its gradient multiplied by riemannianGradientScale(y, k) on the way back. */
export function withRiemannianGradient(y: tf.Tensor, k: tf.Scalar | number): tf.Tensor {
  // k is saved, not passed as an input: the factor is a constant of the backward pass. A tensor k
  // (a learned curvature) must be saved, since the layer's tidy disposes it before the backward pass.
  const forward = (point: tf.Tensor, save: tf.GradSaveFunc) => {
    save(typeof k === 'number' ? [point] : [point, k]);
    return {
      value: tf.clone(point),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(dy, riemannianGradientScale(saved[0]!, typeof k === 'number' ? k : (saved[1] as tf.Scalar))),
    };
  };
  // tfjs types customGrad's function with variadic (Tensor | GradSaveFunc) arguments.
  const identity = tf.customGrad(forward as unknown as CustomGradientFunc) as unknown as (point: tf.Tensor) => tf.Tensor;
  return identity(y);
}
