/**
 * Numerically stable elementary functions used by the kappa-stereographic model (float32).
 * artanh and arsinh go through log1p with the sign handled apart, so they keep full relative
 * precision for tiny arguments and for large negative ones (tfjs' WebGL asinh, log(x + sqrt(x^2 + 1)),
 * cancels for x = -1000). Their gradients are custom: the closed forms 1 / (1 - x^2) and
 * 1 / sqrt(1 + x^2), so the gradient at 0 is exactly 1 (sign(x) * f(|x|) would give 0 there).
 */
import * as tf from '@tensorflow/tfjs-core';

import { ARSINH_LARGE, ARTANH_MAX, MIN_SQ_NORM, TANH_CLAMP } from './constants';

const LOG_2 = Math.log(2);

/** artanh(x) = 0.5 log1p(2|x| / (1 - |x|)) sign(x), with |x| clamped to ARTANH_MAX. Elementwise. */
export function artanh(x: tf.Tensor): tf.Tensor {
  return artanhOp(x);
}

type GradFunc = Parameters<typeof tf.customGrad>[0];

const artanhOp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const clamped = tf.clipByValue(x, -ARTANH_MAX, ARTANH_MAX);
  save([clamped]);
  const ax = tf.abs(clamped);
  const value = tf.mul(tf.sign(clamped), tf.mul(0.5, tf.log1p(tf.div(tf.mul(2, ax), tf.sub(1, ax)))));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.sub(1, tf.square(saved[0]!))),
  };
}) as unknown as GradFunc) as (x: tf.Tensor) => tf.Tensor;

/** arsinh(x) = sign(x) log1p(|x| + x^2 / (1 + sqrt(1 + x^2))), and sign(x) log(2|x|) beyond ARSINH_LARGE. Elementwise. */
export function arsinh(x: tf.Tensor): tf.Tensor {
  return arsinhOp(x);
}

const arsinhOp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  const q = tf.abs(x);
  const q2 = tf.square(q);
  const moderate = tf.log1p(tf.add(q, tf.div(q2, tf.add(1, tf.sqrt(tf.add(1, q2))))));
  const large = tf.add(LOG_2, tf.log(tf.maximum(q, 1)));
  const value = tf.mul(tf.sign(x), tf.where(tf.greater(q, ARSINH_LARGE), large, moderate));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.div(dy, tf.sqrt(tf.add(1, tf.square(saved[0]!)))),
  };
}) as unknown as GradFunc) as (x: tf.Tensor) => tf.Tensor;

/** tanh with its input clamped to +-TANH_CLAMP. Elementwise. */
export function clampedTanh(x: tf.Tensor): tf.Tensor {
  return tf.tanh(tf.clipByValue(x, -TANH_CLAMP, TANH_CLAMP));
}

/** True when x, y are same-shape [n, d] row batches (n > 1). */
function sameRowBatch(x: tf.Tensor, y: tf.Tensor): boolean {
  return x.rank === 2 && y.rank === 2 && x.shape[0] === y.shape[0] && x.shape[1] === y.shape[1] && x.shape[0]! > 1;
}

/**
 * Row-wise dot product over the last axis, kept as a size-1 axis. For same-shape row batches it is a
 * batched [n, 1, d] x [n, 1, d]^T matMul, which reads both rows once: on the cpu and wasm backends about
 * 7-10x faster than sum(x * y), which materialises the product and reduces it in a second pass.
 */
export function rowDot(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (!sameRowBatch(x, y)) return tf.sum(tf.mul(x, y), -1, true);
  const [n, d] = x.shape as [number, number];
  return tf.reshape(tf.matMul(tf.reshape(x, [n, 1, d]), tf.reshape(y, [n, 1, d]), false, true), [n, 1]);
}

/** Row-wise sum of squares over the last axis, kept as a size-1 axis. */
export function sqNorm(x: tf.Tensor): tf.Tensor {
  return sameRowBatch(x, x) ? rowDot(x, x) : tf.sum(tf.square(x), -1, true);
}

/**
 * Euclidean norm sqrt(max(sum x^2, MIN_SQ_NORM)): the package's one safe norm. Unlike tf.norm, its
 * gradient at the zero vector is finite (0), because the max routes the gradient to the constant floor.
 *
 * Without `axis`, the norm is over the last axis and the squared norm comes from `sqNorm` (a batched
 * matMul for row batches, the fast form the manifold operations use). With `axis` (e.g. -1 for rows,
 * 0 for the columns of a [in, out] kernel) it is sum(square(x), axis): the two reductions add in a
 * different order, so they can differ in the last float32 bit, and the geo-layers layers use the
 * explicit-axis form their saved models were trained with.
 */
export function guardedNorm(x: tf.Tensor, keepDims = true, axis?: number): tf.Tensor {
  return tf.tidy(() => {
    const reduceAxis = axis ?? -1;
    const sq = axis === undefined ? sqNorm(x) : tf.sum(tf.square(x), reduceAxis, true);
    const norm = tf.sqrt(tf.maximum(sq, MIN_SQ_NORM));
    return keepDims ? norm : tf.squeeze(norm, [reduceAxis]);
  });
}

/**
 * Rows of `x` ([n, d]) scaled by per-row factors `coef` ([n, 1]). The pure-JS cpu backend broadcasts a
 * [n, 1] operand through a per-element index computation, about 5x slower than a same-shape op; a
 * batched [n, 1, 1] x [n, 1, d] matMul computes the same product in one tight loop there. Other
 * backends (wasm, webgl, node) broadcast natively and get tf.mul.
 */
export function scaleRows(coef: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const n = x.shape[0]!;
  const cpuRowScale = tf.getBackend() === 'cpu' && x.rank === 2 && coef.rank === 2 && coef.shape[0] === n && n > 1;
  if (!cpuRowScale) return tf.mul(coef, x);
  const d = x.shape[1]!;
  return tf.reshape(tf.matMul(tf.reshape(coef, [n, 1, 1]), tf.reshape(x, [n, 1, d])), [n, d]);
}
