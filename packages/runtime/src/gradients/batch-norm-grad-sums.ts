import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type CpuBackendInternals, cpuFloat32 } from '../cpu-backend-internals';
import { CurvadRuntimeError } from '../errors';
import { allocate, f32 } from '../wasm/heap';
import { pointer, simdKernels } from '../wasm/simd/simd-module';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';

/**
 * CurvadBatchNormGradSums: the two per-channel sums a batch-norm gradient needs, in one pass over
 * dy and x (both [..., C], float32) with mean [C]: two [C] outputs, sum(dy) and sum(dy * (x - mean)),
 * summed over every axis but the last. Registered for wasm (kernels.wat's
 * `bn_grad_sums` with C % 4 == 0, else a JS loop) and cpu (the JS loop).
 */
export const BATCH_NORM_GRAD_SUMS = 'CurvadBatchNormGradSums';

interface Inputs {
  dy: TensorInfo;
  x: TensorInfo;
  mean: TensorInfo;
}

function check({ dy, x, mean }: Inputs): number {
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const same = dy.shape.length === x.shape.length && dy.shape.every((d, i) => d === x.shape[i]);
  if (!same || mean.shape.length !== 1 || mean.shape[0] !== channels || [dy, x, mean].some((t) => t.dtype !== 'float32')) {
    throw new CurvadRuntimeError(
      `${BATCH_NORM_GRAD_SUMS} needs float32 dy and x of one shape [..., C] and a float32 mean [C]; got dy ` +
        `${JSON.stringify(dy.shape)}, x ${JSON.stringify(x.shape)}, mean ${JSON.stringify(mean.shape)}.`,
    );
  }
  return channels;
}

/** The sums by a plain loop (float64 accumulators), into sumDy and sumDyXm. */
function sumsLoop(dy: Float32Array, x: Float32Array, mean: Float32Array, sumDy: Float32Array, sumDyXm: Float32Array): void {
  const channels = mean.length;
  const sums = new Float64Array(2 * channels);
  for (let i = 0, c = 0; i < dy.length; i++) {
    const d = dy[i]!;
    sums[c] += d;
    sums[channels + c] += d * (x[i]! - mean[c]!);
    c = c + 1 === channels ? 0 : c + 1;
  }
  sumDy.set(sums.subarray(0, channels));
  sumDyXm.set(sums.subarray(channels));
}

function sumsWasm(args: { inputs: Inputs; backend: WasmBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const [sumDy, sumDyXm] = [allocate(backend, [channels]), allocate(backend, [channels])];
  const rows = channels === 0 ? 0 : f32(backend, inputs.dy).length / channels;
  const simd = channels % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    const at = (t: TensorInfo) => pointer(backend, t.dataId);
    simd.bn_grad_sums(at(inputs.dy), at(inputs.x), at(inputs.mean), rows, channels, at(sumDy), at(sumDyXm));
  } else {
    const view = (t: TensorInfo) => f32(backend, t);
    sumsLoop(view(inputs.dy), view(inputs.x), view(inputs.mean), view(sumDy), view(sumDyXm));
  }
  return [sumDy, sumDyXm];
}

function sumsCpu(args: { inputs: Inputs; backend: CpuBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const values = (t: TensorInfo) => cpuFloat32(backend, t);
  const [sumDy, sumDyXm] = [new Float32Array(channels), new Float32Array(channels)];
  sumsLoop(values(inputs.dy), values(inputs.x), values(inputs.mean), sumDy, sumDyXm);
  return [backend.makeTensorInfo([channels], 'float32', sumDy), backend.makeTensorInfo([channels], 'float32', sumDyXm)];
}

export const batchNormGradSumsWasmConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD_SUMS,
  backendName: 'wasm',
  kernelFunc: sumsWasm as unknown as KernelFunc,
};

export const batchNormGradSumsCpuConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD_SUMS,
  backendName: 'cpu',
  kernelFunc: sumsCpu as unknown as KernelFunc,
};
