import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type CpuBackendInternals, cpuFloat32 } from '../cpu-backend-internals';
import { CurvadRuntimeError } from '../errors';
import { allocate, f32, release } from '../wasm/heap';
import { channelRows, tileChannels } from '../wasm/kernels/channel-rows';
import { pointer, simdKernels } from '../wasm/simd/simd-module';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';

/**
 * CurvadBatchNormInputGrad: dx = dy * a + (x - mean) * b + c per channel, for float32 dy and x of
 * one shape [..., C] and coefficients [4, C] holding a, mean, b and c: the input gradient of batch
 * normalization with batch statistics in one pass (batch-norm-training.ts computes the
 * coefficients). Registered for wasm (kernels.wat's `bn_input_grad` over rows of a multiple of
 * lcm(C, 16) floats, a JS loop for the last partial row) and cpu (the loop).
 */
export const BATCH_NORM_INPUT_GRAD = 'CurvadBatchNormInputGrad';

interface Inputs {
  dy: TensorInfo;
  x: TensorInfo;
  coefficients: TensorInfo;
}

function check({ dy, x, coefficients }: Inputs): number {
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const same = dy.shape.length === x.shape.length && dy.shape.every((d, i) => d === x.shape[i]);
  const coefficientsFit = coefficients.shape.length === 2 && coefficients.shape[0] === 4 && coefficients.shape[1] === channels;
  if (!same || !coefficientsFit || [dy, x, coefficients].some((t) => t.dtype !== 'float32')) {
    throw new CurvadRuntimeError(
      `${BATCH_NORM_INPUT_GRAD} needs float32 dy and x of one shape [..., C] and float32 coefficients [4, C]; got dy ` +
        `${JSON.stringify(dy.shape)}, x ${JSON.stringify(x.shape)}, coefficients ${JSON.stringify(coefficients.shape)}.`,
    );
  }
  return channels;
}

/** dx[i] for i in [from, dx.length) by a plain loop, in float32 as the SIMD loop rounds. */
function inputGradLoop(dy: Float32Array, x: Float32Array, k: Float32Array, channels: number, dx: Float32Array, from: number): void {
  for (let i = from; i < dx.length; i++) {
    const c = i % channels;
    const centered = Math.fround(x[i]! - k[channels + c]!);
    dx[i] = Math.fround(Math.fround(Math.fround(dy[i]! * k[c]!) + Math.fround(centered * k[2 * channels + c]!)) + k[3 * channels + c]!);
  }
}

function inputGradWasm(args: { inputs: Inputs; backend: WasmBackendInternals }): TensorInfo {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const dx = allocate(backend, [...inputs.x.shape]);
  const size = f32(backend, dx).length;
  const { width, rows } = channelRows(size, channels);
  const simd = simdKernels(backend);
  let done = 0;
  if (simd !== undefined && rows > 0) {
    const rowParams = allocate(backend, [4 * width]);
    const k = f32(backend, inputs.coefficients);
    const tiled = f32(backend, rowParams);
    for (let p = 0; p < 4; p++) tileChannels(k, p * channels, channels, tiled, p * width, width);
    const at = (t: TensorInfo) => pointer(backend, t.dataId);
    simd.bn_input_grad(at(inputs.dy), at(inputs.x), at(dx), rows, width, at(rowParams));
    release(backend, rowParams);
    done = rows * width;
  }
  if (done < size) {
    inputGradLoop(f32(backend, inputs.dy), f32(backend, inputs.x), f32(backend, inputs.coefficients), channels, f32(backend, dx), done);
  }
  return dx;
}

function inputGradCpu(args: { inputs: Inputs; backend: CpuBackendInternals }): TensorInfo {
  const { inputs, backend } = args;
  const channels = check(inputs);
  const values = (t: TensorInfo) => cpuFloat32(backend, t);
  const dx = new Float32Array(values(inputs.x).length);
  inputGradLoop(values(inputs.dy), values(inputs.x), values(inputs.coefficients), channels, dx, 0);
  return backend.makeTensorInfo([...inputs.x.shape], 'float32', dx);
}

export const batchNormInputGradWasmConfig: KernelConfig = {
  kernelName: BATCH_NORM_INPUT_GRAD,
  backendName: 'wasm',
  kernelFunc: inputGradWasm as unknown as KernelFunc,
};

export const batchNormInputGradCpuConfig: KernelConfig = {
  kernelName: BATCH_NORM_INPUT_GRAD,
  backendName: 'cpu',
  kernelFunc: inputGradCpu as unknown as KernelFunc,
};
