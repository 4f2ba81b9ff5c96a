import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type CpuBackendInternals, cpuFloat32 } from '../cpu-backend-internals';
import { CurvadRuntimeError } from '../errors';
import { allocate, f32 } from '../wasm/heap';
import { pointer, simdKernels } from '../wasm/simd/simd-module';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';

/**
 * CurvadChannelMoments: the mean and the (biased) variance of each channel of a float32 x [..., C]
 * over all other axes, as two [C] outputs, in two passes: the column sums, then the sums of
 * squared deviations from the mean (so a large mean does not cancel digits as E[x^2] - E[x]^2
 * would). The forward statistics of batchNormTraining. Registered for wasm (kernels.wat's
 * `column_sums` and `centered_square_sums` when C % 4 == 0, float32 sums as tfjs' own Mean, else a
 * float64 loop) and cpu (float64 loop).
 */
export const CHANNEL_MOMENTS = 'CurvadChannelMoments';

function check(x: TensorInfo): { channels: number; rows: number } {
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const rows = channels === 0 ? 0 : x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (x.dtype !== 'float32' || x.shape.length < 2 || rows === 0 || channels === 0) {
    throw new CurvadRuntimeError(
      `${CHANNEL_MOMENTS} needs a float32 x [..., C] of rank >= 2 with at least one element; got ${x.dtype} ${JSON.stringify(x.shape)}.`,
    );
  }
  return { channels, rows };
}

/** Mean and variance per channel by plain loops (float64 accumulators), into mean and variance. */
function momentsLoop(x: Float32Array, channels: number, mean: Float32Array, variance: Float32Array): void {
  const rows = x.length / channels;
  const sums = new Float64Array(channels);
  for (let i = 0, c = 0; i < x.length; i++) {
    sums[c] += x[i]!;
    c = c + 1 === channels ? 0 : c + 1;
  }
  for (let c = 0; c < channels; c++) mean[c] = sums[c]! / rows;
  sums.fill(0);
  for (let i = 0, c = 0; i < x.length; i++) {
    const d = x[i]! - mean[c]!;
    sums[c] += d * d;
    c = c + 1 === channels ? 0 : c + 1;
  }
  for (let c = 0; c < channels; c++) variance[c] = sums[c]! / rows;
}

function momentsWasm(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const { channels, rows } = check(inputs.x);
  const [mean, variance] = [allocate(backend, [channels]), allocate(backend, [channels])];
  const simd = channels % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    const at = (t: TensorInfo) => pointer(backend, t.dataId);
    simd.column_sums(at(inputs.x), rows, channels, at(mean));
    const m = f32(backend, mean);
    for (let c = 0; c < channels; c++) m[c] = m[c]! / rows;
    simd.centered_square_sums(at(inputs.x), at(mean), rows, channels, at(variance));
    const v = f32(backend, variance);
    for (let c = 0; c < channels; c++) v[c] = v[c]! / rows;
  } else {
    momentsLoop(f32(backend, inputs.x), channels, f32(backend, mean), f32(backend, variance));
  }
  return [mean, variance];
}

function momentsCpu(args: { inputs: { x: TensorInfo }; backend: CpuBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const { channels } = check(inputs.x);
  const [mean, variance] = [new Float32Array(channels), new Float32Array(channels)];
  momentsLoop(cpuFloat32(backend, inputs.x), channels, mean, variance);
  return [backend.makeTensorInfo([channels], 'float32', mean), backend.makeTensorInfo([channels], 'float32', variance)];
}

export const channelMomentsWasmConfig: KernelConfig = {
  kernelName: CHANNEL_MOMENTS,
  backendName: 'wasm',
  kernelFunc: momentsWasm as unknown as KernelFunc,
};

export const channelMomentsCpuConfig: KernelConfig = {
  kernelName: CHANNEL_MOMENTS,
  backendName: 'cpu',
  kernelFunc: momentsCpu as unknown as KernelFunc,
};
