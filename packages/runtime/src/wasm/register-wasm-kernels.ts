import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter';
import { depthwiseConv2dBackpropFilterConfig } from './kernels/depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './kernels/depthwise-conv2d-backprop-input';
import { unsortedSegmentSumConfig } from './kernels/unsorted-segment-sum';

/** Every kernel this package adds to (or replaces in) the wasm backend, in registration order. */
const TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Names of the wasm kernels @curvad/runtime provides. */
export const WASM_TRAINING_KERNELS: readonly string[] = TRAINING_KERNELS.map((k) => k.kernelName);

export interface WasmKernelRegistration {
  /** Kernels registered by this call. */
  registered: string[];
  /** Kernels that were already registered (by an earlier call, or by a newer tfjs-backend-wasm). */
  alreadyPresent: string[];
}

/**
 * Registers the training kernels tfjs-backend-wasm lacks. Idempotent, and safe to call before or
 * after the wasm backend is initialised (kernels are looked up per call). A kernel that the
 * installed tfjs-backend-wasm already has is left alone.
 */
export function registerWasmTrainingKernels(): WasmKernelRegistration {
  const result: WasmKernelRegistration = { registered: [], alreadyPresent: [] };
  for (const config of TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) {
      result.alreadyPresent.push(config.kernelName);
      continue;
    }
    registerKernel(config);
    result.registered.push(config.kernelName);
  }
  return result;
}
