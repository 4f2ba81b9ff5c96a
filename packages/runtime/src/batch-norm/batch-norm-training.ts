import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';
import { BATCH_NORM_GRAD_SUMS, batchNormGradSumsCpuConfig, batchNormGradSumsWasmConfig } from '../gradients/batch-norm-grad-sums';
import { registerMissingKernels } from '../register-missing-kernels';
import { BATCH_NORM_INPUT_GRAD, batchNormInputGradCpuConfig, batchNormInputGradWasmConfig } from './batch-norm-input-grad';
import { CHANNEL_MOMENTS, channelMomentsCpuConfig, channelMomentsWasmConfig } from './channel-moments';

/** What batchNormTraining returns. The caller owns all three tensors. */
export interface BatchNormTrainingResult {
  /** (x - mean) * scale / sqrt(variance + varianceEpsilon) + offset, x's shape. */
  y: tf.Tensor;
  /** The batch mean of each channel, [C]. A constant for the gradient (see batchNormTraining). */
  mean: tf.Tensor1D;
  /** The biased batch variance of each channel, [C]. A constant for the gradient. */
  variance: tf.Tensor1D;
}

const KERNELS = [
  channelMomentsWasmConfig,
  channelMomentsCpuConfig,
  batchNormInputGradWasmConfig,
  batchNormInputGradCpuConfig,
  batchNormGradSumsWasmConfig,
  batchNormGradSumsCpuConfig,
];

/** Registers the kernels batchNormTraining runs on wasm and cpu (idempotent). */
export function registerBatchNormTrainingKernels(): void {
  registerMissingKernels(KERNELS);
}

function fusedOn(backend: string): boolean {
  return [CHANNEL_MOMENTS, BATCH_NORM_INPUT_GRAD, BATCH_NORM_GRAD_SUMS].every((name) => getKernel(name, backend) !== undefined);
}

function validate(x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor, varianceEpsilon: number): number {
  const channels = x.shape[x.rank - 1] ?? 0;
  if (x.rank < 2 || x.dtype !== 'float32' || x.size === 0) {
    throw new CurvadRuntimeError(
      `batchNormTraining needs a float32 x [..., C] of rank >= 2 with at least one element; got ${x.dtype} ${JSON.stringify(x.shape)}.`,
    );
  }
  for (const [name, t] of [
    ['scale', scale],
    ['offset', offset],
  ] as const) {
    if (t.rank !== 1 || t.shape[0] !== channels || t.dtype !== 'float32') {
      throw new CurvadRuntimeError(
        `batchNormTraining needs a float32 ${name} of shape [${channels}] (x's last axis); got ${t.dtype} ${JSON.stringify(t.shape)}.`,
      );
    }
  }
  if (!(Number.isFinite(varianceEpsilon) && varianceEpsilon > 0)) {
    throw new CurvadRuntimeError(`batchNormTraining needs a finite varianceEpsilon > 0; got ${varianceEpsilon}.`);
  }
  return channels;
}

/**
 * Batch normalization with the batch's own statistics, as a network trains: per channel of x
 * [..., C] (float32, channels last), mean and biased variance over all other axes, then
 * y = (x - mean) * scale / sqrt(variance + varianceEpsilon) + offset. What tfjs-layers'
 * BatchNormalization computes in training (tf.moments, then tf.batchNorm), with the gradient of the
 * whole normalization in closed form, where the composite differentiates through the moments op by
 * op. With r = 1 / sqrt(variance + eps), N values per channel, and the sums sum(dy) and
 * sum(dy (x - mean)) over all but the last axis:
 *
 *   dx = scale r (dy - sum(dy) / N - (x - mean) r^2 sum(dy (x - mean)) / N),
 *   dScale = r sum(dy (x - mean)),  dOffset = sum(dy).
 *
 * On wasm and cpu it runs 4 kernels over x-sized tensors per layer and step: CurvadChannelMoments
 * (two passes), the backend's FusedBatchNorm, and for the gradient CurvadBatchNormGradSums and
 * CurvadBatchNormInputGrad (one pass each). The composite runs at least 9 (the moments' Mean, Sub,
 * Square and Mean, FusedBatchNorm, and the gradients through all of them, with this package's lean
 * gradients registered; more with tfjs' own). Other backends (webgl, tfjs-node) run the composite.
 *
 * `mean` and `variance` come out for running-average updates; no gradient flows back through them
 * (a loss that uses them sees them as constants), as in the fused training kernels of other
 * frameworks.
 */
export function batchNormTraining(x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, varianceEpsilon = 1e-3): BatchNormTrainingResult {
  const channels = validate(x, scale, offset, varianceEpsilon);
  registerBatchNormTrainingKernels();
  if (!fusedOn(tf.getBackend())) {
    const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
    const y = tf.batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  let stats: tf.Tensor[] = [];
  const normalize = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, s, o, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const [mean, variance] = tf.engine().runKernel(CHANNEL_MOMENTS, { x: xs }) as tf.Tensor[] as [tf.Tensor1D, tf.Tensor1D];
    save([xs, s, mean, variance]);
    // The forward runs inside a tidy that keeps only its value: the statistics leave it kept.
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: tf.batchNorm(xs, mean, variance, o, s, varianceEpsilon),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dyT = dy as tf.Tensor;
        const [xSaved, sSaved, mSaved, vSaved] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
        const n = xSaved.size / channels;
        const [sumDy, sumDyXm] = tf.engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy: dyT, x: xSaved, mean: mSaved }) as tf.Tensor[] as [
          tf.Tensor1D,
          tf.Tensor1D,
        ];
        const r = tf.rsqrt(tf.add(vSaved, tf.scalar(varianceEpsilon)));
        const sr = tf.mul(sSaved, r);
        const coefficients = tf.stack([
          sr,
          mSaved,
          tf.mul(tf.neg(tf.mul(sr, tf.square(r))), tf.div(sumDyXm, tf.scalar(n))),
          tf.mul(tf.neg(sr), tf.div(sumDy, tf.scalar(n))),
        ]);
        const dx = tf.engine().runKernel(BATCH_NORM_INPUT_GRAD, { dy: dyT, x: xSaved, coefficients }) as tf.Tensor;
        return [dx, tf.mul(r, sumDyXm), sumDy];
      },
    };
  });
  const y = normalize(x, scale, offset);
  // Clones in the caller's scope (so its tidy disposes them); the kept originals go.
  const [mean, variance] = stats.map((t) => tf.clone(t)) as [tf.Tensor1D, tf.Tensor1D];
  tf.dispose(stats);
  return { y, mean, variance };
}
