import type { DataType, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';
import { allocate, f32, release } from '../wasm/heap';
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

/** The sums by a plain loop (float64 accumulators), into out[0, 2C). */
function sumsLoop(dy: Float32Array, x: Float32Array, mean: Float32Array, channels: number, out: Float32Array): void {
  const sums = new Float64Array(2 * channels);
  for (let i = 0, c = 0; i < dy.length; i++) {
    const d = dy[i]!;
    sums[c] += d;
    sums[channels + c] += d * (x[i]! - mean[c]!);
    c = c + 1 === channels ? 0 : c + 1;
  }
  out.set(sums);
}

function sumsWasm(args: { inputs: Inputs; backend: WasmBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const out = allocate(backend, [2 * channels]);
  const rows = channels === 0 ? 0 : f32(backend, inputs.dy).length / channels;
  const simd = channels % 4 === 0 ? simdKernels(backend) : undefined;
  if (simd !== undefined) {
    const at = (t: TensorInfo) => pointer(backend, t.dataId);
    simd.bn_grad_sums(at(inputs.dy), at(inputs.x), at(inputs.mean), rows, channels, at(out));
  } else {
    sumsLoop(f32(backend, inputs.dy), f32(backend, inputs.x), f32(backend, inputs.mean), channels, f32(backend, out));
  }
  const sums = f32(backend, out);
  const [sumDy, sumDyXm] = [allocate(backend, [channels]), allocate(backend, [channels])];
  f32(backend, sumDy).set(sums.subarray(0, channels));
  f32(backend, sumDyXm).set(sums.subarray(channels));
  release(backend, out);
  return [sumDy, sumDyXm];
}

/** The part of tfjs-backend-cpu's MathBackendCPU this kernel uses (typed structurally). */
interface CpuBackendInternals extends KernelBackend {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: Float32Array): TensorInfo;
}

function sumsCpu(args: { inputs: Inputs; backend: CpuBackendInternals }): TensorInfo[] {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const values = (t: TensorInfo) => backend.data.get(t.dataId).values as Float32Array;
  const out = new Float32Array(2 * channels);
  sumsLoop(values(inputs.dy), values(inputs.x), values(inputs.mean), channels, out);
  return [
    backend.makeTensorInfo([channels], 'float32', out.slice(0, channels)),
    backend.makeTensorInfo([channels], 'float32', out.slice(channels)),
  ];
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
