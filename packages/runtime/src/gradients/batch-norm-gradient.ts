import * as tf from '@tensorflow/tfjs-core';
import { FusedBatchNorm, type GradConfig, type NamedAttrMap } from '@tensorflow/tfjs-core';
import { BATCH_NORM_GRAD_SUMS } from './batch-norm-grad-sums';

/**
 * The gradient of FusedBatchNorm (tf.batchNorm) from two per-channel sums.
 *
 * With r = 1 / sqrt(variance + eps) and s = scale (1 without one), per channel over all other axes:
 *   dx = dy * r * s,  dOffset = sum(dy),  dScale = r * sum(dy (x - mean)),
 *   dMean = -r s sum(dy),  dVariance = -r^3 s sum(dy (x - mean)) / 2.
 * tfjs 4.22 computes these with about 14 full-size passes (x - mean, dy * s, a tiled r, products
 * for each sum); here the two sums come from one pass over dy and x (CurvadBatchNormGradSums) and dx
 * from one per-channel multiply. For a CIFAR ResNet-18 step that is about 20 batch-norm layers and
 * 75 MB per pass. Where the shapes are not [..., C] with per-channel mean, variance and scale, or the
 * backend has no CurvadBatchNormGradSums (webgl, tfjs-node), tfjs' own gradient runs.
 */
export function leanBatchNormGradConfig(stock: GradConfig): GradConfig {
  return {
    kernelName: FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      const [x, mean, variance, scale] = saved as (tf.Tensor | undefined)[];
      const dyT = dy as tf.Tensor;
      if (x === undefined || mean === undefined || variance === undefined || !fits(dyT, x, mean, variance, scale)) {
        return stock.gradFunc(dy, saved, attrs);
      }
      const channels = mean.shape[0]!;
      const r = tf.rsqrt(tf.add(variance, tf.scalar(attrs.varianceEpsilon as number)));
      const s = scale ?? tf.scalar(1);
      const [sumDy, sumDyXm] = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy: dyT, x, mean }) as tf.Tensor[] as [tf.Tensor, tf.Tensor];
      const rs = tf.mul(r, s);
      return {
        x: () => tf.mul(dyT, tf.reshape(rs, [channels])),
        mean: () => tf.reshape(tf.mul(tf.neg(rs), sumDy), mean.shape),
        variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(tf.mul(r, r), rs), tf.scalar(-0.5)), sumDyXm), mean.shape),
        scale: () => tf.reshape(tf.mul(r, sumDyXm), mean.shape),
        offset: () => tf.reshape(sumDy, mean.shape),
      };
    },
  };
}

/** Channels-last float32 tensors with per-channel (or absent) parameters, on a backend with the sums kernel. */
function fits(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined): boolean {
  const channels = x.shape[x.rank - 1];
  const perChannel = (t: tf.Tensor) => t.rank === 1 && t.shape[0] === channels && t.dtype === 'float32';
  return (
    x.rank >= 2 &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    dy.shape.every((d, i) => d === x.shape[i]) &&
    perChannel(mean) &&
    perChannel(variance) &&
    (scale === undefined || perChannel(scale)) &&
    tf.getKernel(BATCH_NORM_GRAD_SUMS, tf.getBackend()) !== undefined
  );
}
