import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * Identity for wasm without a copy: the output shares the input's memory (reference counted), as
 * the cpu backend and the wasm Reshape do. tfjs-backend-wasm 4.22 copies the data, which cost
 * ~5 ms of CPU per training step of the reference CNN (31 calls, activations of up to 12 MB).
 * Safe because tfjs never writes into a tensor's memory after creating it.
 */
function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackendInternals }): TensorInfo {
  const { x } = args.inputs;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
