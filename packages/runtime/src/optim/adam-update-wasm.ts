import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';
import { checkAdamUpdateInputs } from './adam-update-check';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamUpdateLoop } from './adam-update-loop';

/**
 * CurvadAdamUpdate on wasm: one JS pass over the backend's heap, reading x, m, v, g where they
 * live and writing three new tensors (inputs are never written: tfjs shares data between tensors).
 */
function adamUpdateWasm(args: {
  inputs: { x: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };
  backend: WasmBackendInternals;
  attrs: AdamUpdateAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  checkAdamUpdateInputs(inputs);
  const { x, m, v, g } = inputs;
  const xOut = backend.makeOutput(x.shape, 'float32');
  const mOut = backend.makeOutput(x.shape, 'float32');
  const vOut = backend.makeOutput(x.shape, 'float32');
  // Views only after the last allocation: an allocation may grow the heap and detach them.
  const view = (info: TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;
  adamUpdateLoop(view(x), view(m), view(v), view(g), view(xOut), view(mOut), view(vOut), attrs);
  return [xOut, mOut, vOut];
}

export const adamUpdateWasmConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: 'wasm',
  kernelFunc: adamUpdateWasm as unknown as KernelFunc,
};
