import { type KernelConfig, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../wasm/wasm-backend-internals';
import { checkAdamUpdateInputs } from './adam-update-check';
import { ADAM_UPDATE, type AdamUpdateAttrs, adamUpdateLoop } from './adam-update-loop';
import { adamUpdateSimd } from './adam-update-simd';

const f = Math.fround;

/**
 * CurvadAdamUpdate on wasm: one pass over the backend's heap, reading x, m, v, g where they live
 * and writing three new tensors (inputs are never written: tfjs shares data between tensors). The
 * pass is adam-update.wat's SIMD loop (4 floats a step); where wasm SIMD is missing, the same
 * operations as a JS loop over heap views. The JS loop measured 115-150 ms on ResNet-18's 11.2M
 * floats, slower than tf.train.adam's separate kernels: its float64 divisions and square root, one
 * element at a time, bound it, not memory.
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
  const simd = adamUpdateSimd(backend);
  if (simd !== undefined) {
    const at = (info: TensorInfo) => backend.dataIdMap.get(info.dataId).memoryOffset;
    simd.adam_update(
      at(x),
      at(m),
      at(v),
      at(g),
      at(xOut),
      at(mOut),
      at(vOut),
      util.sizeFromShape(x.shape),
      f(attrs.beta1),
      f(1 - attrs.beta1),
      f(attrs.beta2),
      f(1 - attrs.beta2),
      f(attrs.biasCorrection1),
      f(attrs.biasCorrection2),
      f(attrs.epsilon),
      f(-attrs.learningRate),
    );
    return [xOut, mOut, vOut];
  }
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
