import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { registerLeanGradients } from '../gradients/register-lean-gradients';
import { batchMatMulConfig } from './kernels/batch-mat-mul';
import { addConfig, multiplyConfig, realDivConfig, subConfig } from './kernels/broadcast-binary';
import { castConfig } from './kernels/cast';
import { conv2dConfig, fusedConv2dConfig } from './kernels/conv2d';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './kernels/conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './kernels/depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './kernels/depthwise-conv2d-backprop-input';
import { fusedBatchNormConfig } from './kernels/fused-batch-norm';
import { identityConfig } from './kernels/identity';
import { maxPoolGradConfig } from './kernels/max-pool-grad';
import { meanConfig, sumConfig } from './kernels/reduce-contiguous';
import { tileConfig } from './kernels/tile';
import { transposeConfig } from './kernels/transpose';
import { unsortedSegmentSumConfig } from './kernels/unsorted-segment-sum';
import { setWinogradTiles } from './kernels/winograd';
import { captureOriginalKernel } from './original-kernels';

/** Kernels tfjs-backend-wasm 4.22 lacks and training needs. */
const MISSING_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
];

/** Faster versions of kernels tfjs-backend-wasm has, found slow by profiling a training step. */
const FASTER_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig,
  conv2dConfig,
  fusedConv2dConfig,
  conv2dBackpropInputConfig,
  maxPoolGradConfig,
  sumConfig,
  meanConfig,
  transposeConfig,
  tileConfig,
  identityConfig,
  castConfig,
  fusedBatchNormConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
];

const OURS = new Set<KernelConfig['kernelFunc']>([...MISSING_KERNELS, ...FASTER_KERNELS].map((k) => k.kernelFunc));

/** Names of the kernels @curvad/runtime adds to the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = MISSING_KERNELS.map((k) => k.kernelName);
/** Names of the wasm kernels @curvad/runtime replaces with faster ones. */
export const WASM_FASTER_KERNELS: readonly string[] = FASTER_KERNELS.map((k) => k.kernelName);

export interface WasmKernelRegistration {
  /** Missing kernels added by this call. */
  registered: string[];
  /** Backend kernels replaced by faster ones in this call. */
  replaced: string[];
  /** Kernels left alone: ours from an earlier call, or ones a newer tfjs-backend-wasm provides itself. */
  alreadyPresent: string[];
}

/** Output tile size of a Winograd F(m x m, 3x3) convolution. */
export type WinogradTile = 2 | 4;

export interface RegisterWasmKernelsOptions {
  /** Also replace the slow backend kernels listed in WASM_FASTER_KERNELS (default true). */
  replaceSlowKernels?: boolean;
  /**
   * Winograd tile sizes that 3x3 convolutions with stride 1 or 2 (forward, input and filter gradients)
   * may use: F(2x2, 3x3) and F(4x4, 3x3) and their stride-2 forms, picked per shape. Default [2, 4]; `[]` keeps the direct convolution
   * (XNNPACK, and im2col GEMMs for the filter gradient) everywhere. Applies from this call on.
   */
  winograd?: readonly WinogradTile[];
}

/**
 * Registers the training kernels tfjs-backend-wasm lacks and (by default) faster versions of the
 * ones that dominate a training step. Idempotent. Import @tensorflow/tfjs-backend-wasm first: the
 * replacements wrap the backend's own kernels (and keep their set-up functions). `initBackend`
 * calls this for you.
 */
export function registerWasmTrainingKernels(options: RegisterWasmKernelsOptions = {}): WasmKernelRegistration {
  const result: WasmKernelRegistration = { registered: [], replaced: [], alreadyPresent: [] };
  if (options.winograd !== undefined) setWinogradTiles(options.winograd);
  for (const config of MISSING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== undefined) {
      result.alreadyPresent.push(config.kernelName);
      continue;
    }
    registerKernel(config);
    result.registered.push(config.kernelName);
  }
  if (options.replaceSlowKernels === false) return result;
  registerLeanGradients();
  for (const config of FASTER_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current !== undefined && OURS.has(current.kernelFunc)) {
      result.alreadyPresent.push(config.kernelName);
      continue;
    }
    const original = captureOriginalKernel(config.kernelName);
    // Without the backend's kernel there is nothing to speed up (and nothing to fall back to).
    if (original === undefined) continue;
    unregisterKernel(config.kernelName, 'wasm');
    registerKernel({ ...config, setupFunc: original.setupFunc, disposeFunc: original.disposeFunc });
    result.replaced.push(config.kernelName);
  }
  return result;
}
