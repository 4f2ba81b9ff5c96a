import * as tf from '@tensorflow/tfjs-core';
import { type GradConfig, type KernelConfig, type KernelFunc, Relu, type TensorInfo } from '@tensorflow/tfjs-core';
import { type CpuBackendInternals, cpuFloat32 } from '../cpu-backend-internals';
import { CurvadRuntimeError } from '../errors';
import { allocate, f32 } from '../wasm/heap';
import { pointer, simdKernels } from '../wasm/simd/simd-module';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';

/**
 * The gradient of Relu in one pass: CurvadReluGrad computes dy * step(x) (step: 1 for x > 0, 0
 * otherwise, NaN for NaN, as tfjs' step), where tfjs 4.22 runs Step, Cast and Multiply, three
 * full-size passes and two intermediate tensors. Bit-identical to tfjs' gradient. Registered for
 * wasm (kernels.wat `relu_grad`, a loop for the last n % 4 values) and cpu; other backends keep tfjs'
 * own gradient.
 */
export const RELU_GRAD = 'CurvadReluGrad';

/** One value of dy * step(x), in float32 as tfjs computes it. */
function reluGradValue(dy: number, x: number): number {
  return Math.fround(dy * (Number.isNaN(x) ? Number.NaN : x > 0 ? 1 : 0));
}

function check(dy: TensorInfo, x: TensorInfo): void {
  const same = dy.shape.length === x.shape.length && dy.shape.every((d, i) => d === x.shape[i]);
  if (!same || dy.dtype !== 'float32' || x.dtype !== 'float32') {
    throw new CurvadRuntimeError(
      `${RELU_GRAD} needs float32 dy and x of one shape; got dy ${dy.dtype} ${JSON.stringify(dy.shape)}, x ${x.dtype} ${JSON.stringify(x.shape)}.`,
    );
  }
}

function reluGradWasm(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: WasmBackendInternals }): TensorInfo {
  const { inputs, backend } = args;
  check(inputs.dy, inputs.x);
  const out = allocate(backend, [...inputs.x.shape]);
  const [dy, x, o] = [f32(backend, inputs.dy), f32(backend, inputs.x), f32(backend, out)];
  const simd = simdKernels(backend);
  const vectors = simd === undefined ? 0 : dy.length & ~3;
  if (simd !== undefined && vectors > 0) {
    simd.relu_grad(pointer(backend, inputs.dy.dataId), pointer(backend, inputs.x.dataId), pointer(backend, out.dataId), vectors);
  }
  for (let i = vectors; i < dy.length; i++) o[i] = reluGradValue(dy[i]!, x[i]!);
  return out;
}

function reluGradCpu(args: { inputs: { dy: TensorInfo; x: TensorInfo }; backend: CpuBackendInternals }): TensorInfo {
  const { inputs, backend } = args;
  check(inputs.dy, inputs.x);
  const [dy, x] = [cpuFloat32(backend, inputs.dy), cpuFloat32(backend, inputs.x)];
  const out = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) out[i] = reluGradValue(dy[i]!, x[i]!);
  return backend.makeTensorInfo([...inputs.x.shape], 'float32', out);
}

export const reluGradWasmConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: reluGradWasm as unknown as KernelFunc,
};
export const reluGradCpuConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'cpu',
  kernelFunc: reluGradCpu as unknown as KernelFunc,
};

/** Relu's gradient through CurvadReluGrad where the backend has it and the tensors are float32, else `fallback`'s. */
export function leanReluGradConfig(fallback: GradConfig): GradConfig {
  return {
    kernelName: Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const x = saved[0] as tf.Tensor;
      const dyT = dy as tf.Tensor;
      const fits = x.dtype === 'float32' && dyT.dtype === 'float32' && tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined;
      if (!fits) return fallback.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dyT, x }) as tf.Tensor };
    },
  };
}
