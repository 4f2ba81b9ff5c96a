import { getKernel, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../runtime-error';
import type { WasmBackendInternals } from './wasm-backend-internals';

/**
 * Calls another kernel of the wasm backend directly (below the op layer), the way the backend's own
 * composite kernels do, so that no tape entry or op-level check gets in the way. The caller owns the
 * returned tensor and disposes it with `backend.disposeData`.
 */
export function runWasmKernel(
  name: string,
  backend: WasmBackendInternals,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new CurvadRuntimeError(
      `The wasm backend has no '${name}' kernel, which @curvad/runtime's training kernels build on. ` +
        'Use @tensorflow/tfjs-backend-wasm 4.22 or later (the version this package is tested with).',
    );
  }
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  return (Array.isArray(out) ? out[0] : out) as TensorInfo;
}

/** Releases intermediate tensors a kernel made with `runWasmKernel`. */
export function disposeIntermediates(backend: WasmBackendInternals, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
