import {
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  type FusedBatchNormInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { allocate, f32, release } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import { pointer, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { channelRows, tileChannels } from './channel-rows';

/**
 * FusedBatchNorm (tf.batchNorm; tfjs-layers' batchNormalization) for wasm over float32 x with C
 * channels on its last axis: y = (x - mean) * scale / sqrt(variance + eps) + offset, with mean,
 * variance, offset and scale of C values (or 1, broadcast; offset and scale optional). The backend's
 * kernel takes 8.2 ms of CPU time on [32,32,32,64] (4 ns per element), ours 0.4
 * (tools/bench/train-throughput-kernels.mjs). Here the per-channel factor
 * scale / sqrt(variance + eps) is computed once per channel (float64, rounded to float32), and
 * kernels.wat's `batch_norm` does (x - mean) * factor + offset in one SIMD pass over rows of a
 * multiple of lcm(C, 16) elements (channel-rows.ts), a JS loop the last partial row. Other dtypes
 * and parameter sizes (which the cpu backend reads modulo their length) go to the backend's kernel.
 */

type Inputs = FusedBatchNormInputs & { offset?: TensorInfo; scale?: TensorInfo };

/** A parameter's value for channel c: one per channel, or one for all. */
function perChannel(values: Float32Array | undefined, channels: number, fallback: number): Float64Array {
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++) out[c] = values === undefined ? fallback : values[values.length === 1 ? 0 : c]!;
  return out;
}

function usable(info: TensorInfo | undefined, channels: number): boolean {
  if (info === undefined) return true;
  const size = util.sizeFromShape(info.shape);
  return info.dtype === 'float32' && (size === 1 || size === channels);
}

function fusedBatchNorm(args: { inputs: Inputs; backend: WasmBackendInternals; attrs: FusedBatchNormAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const { mean, variance, offset, scale } = inputs as Record<string, TensorInfo | undefined>;
  const channels = x.shape[x.shape.length - 1] ?? 1;
  const size = util.sizeFromShape(x.shape);
  const fits =
    x.dtype === 'float32' &&
    size > 0 &&
    mean !== undefined &&
    variance !== undefined &&
    [mean, variance, offset, scale].every((info) => usable(info, channels));
  if (!fits) return runOriginalKernel(FusedBatchNorm, backend, inputs as Record<string, TensorInfo>, { ...attrs });
  const eps = attrs.varianceEpsilon;
  const view = (info: TensorInfo | undefined) => (info === undefined ? undefined : f32(backend, info));
  const m = perChannel(view(mean), channels, 0);
  const v = perChannel(view(variance), channels, 1);
  const o = perChannel(view(offset), channels, 0);
  const s = perChannel(view(scale), channels, 1);
  // [mean, factor, offset] per channel, rounded to float32 as the SIMD loop uses them.
  const params = new Float32Array(3 * channels);
  for (let c = 0; c < channels; c++) {
    params[c] = m[c]!;
    params[channels + c] = s[c]! / Math.sqrt(v[c]! + eps);
    params[2 * channels + c] = o[c]!;
  }
  const out = allocate(backend, [...x.shape]);
  const { width, rows } = channelRows(size, channels);
  const simd = simdKernels(backend);
  let done = 0;
  if (simd !== undefined && rows > 0) {
    const rowParams = allocate(backend, [3 * width]);
    const rowv = f32(backend, rowParams);
    for (let k = 0; k < 3; k++) tileChannels(params, k * channels, channels, rowv, k * width, width);
    simd.batch_norm(pointer(backend, x.dataId), pointer(backend, out.dataId), rows, width, pointer(backend, rowParams.dataId));
    release(backend, rowParams);
    done = rows * width;
  }
  if (done < size) {
    const xv = f32(backend, x);
    const outv = f32(backend, out);
    for (let i = done; i < size; i++) {
      const c = i % channels;
      outv[i] = Math.fround(Math.fround(xv[i]! - params[c]!) * params[channels + c]!) + params[2 * channels + c]!;
    }
  }
  return out;
}

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm as unknown as KernelFunc,
};
