import { getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { CurvadRuntimeError } from '../errors';
import type { WasmBackendInternals } from './wasm-backend-internals';

/**
 * tfjs-backend-wasm's own kernels that this package replaces with faster ones, captured before
 * replacement so that the replacements can hand shapes they do not speed up back to them.
 */
const originals = new Map<string, KernelConfig>();

/** Records the backend's kernel `name` (once); returns it, or undefined if the backend has none. */
export function captureOriginalKernel(name: string): KernelConfig | undefined {
  const known = originals.get(name);
  if (known !== undefined) return known;
  const kernel = getKernel(name, 'wasm');
  if (kernel !== undefined) originals.set(name, kernel);
  return kernel;
}

/** Runs the wasm backend's original kernel `name` (below the op layer). The caller owns the result. */
export function runOriginalKernel(
  name: string,
  backend: WasmBackendInternals,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = originals.get(name) ?? getKernel(name, 'wasm');
  if (kernel === undefined) {
    throw new CurvadRuntimeError(
      `The wasm backend has no '${name}' kernel, which @curvad/runtime's kernels build on. ` +
        'Import @tensorflow/tfjs-backend-wasm (4.22 or later) before registering the training kernels.',
    );
  }
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  return (Array.isArray(out) ? out[0] : out) as TensorInfo;
}
