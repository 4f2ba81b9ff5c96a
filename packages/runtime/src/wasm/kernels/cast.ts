import { Cast, type CastAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * Cast for wasm: a cast to the tensor's own dtype shares its memory (reference counted) instead of
 * copying it, like our Identity. tfjs's ReLU gradient casts a float32 step mask to float32, a
 * 12.8 MB copy (0.7 ms) per reference-CNN step. Other casts go to the backend's kernel.
 */
function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (attrs.dtype !== x.dtype) return runOriginalKernel(Cast, backend, inputs, { ...attrs });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
