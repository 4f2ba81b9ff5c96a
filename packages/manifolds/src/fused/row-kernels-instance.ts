/**
 * The SIMD row passes of row-kernels.wat, instantiated against tfjs-backend-wasm's own memory: the
 * module imports the backend's WebAssembly.Memory, so a tensor's heap offset is directly a pointer
 * for it. One instance per memory, made on first use by the instantiation helper the SIMD packages
 * share (@curvad/wat-embed/instance, bundled into the build).
 */
import { embeddedWasmModule } from '@curvad/wat-embed/instance';

import { ROW_KERNELS_WASM_BASE64 } from './row-kernels-wasm';

/** The exports of row-kernels.wat; every pointer is a byte offset into the backend's memory. */
export interface RowKernels {
  readonly memory: WebAssembly.Memory;
  pairDots(x: number, y: number, n: number, d: number, out: number): void;
  pairStats(x: number, y: number, n: number, d: number, out: number): void;
  rowSquares(x: number, n: number, d: number, out: number): void;
  scaleRows(x: number, n: number, d: number, coef: number, out: number): void;
  combineRows(x: number, y: number, n: number, d: number, coef: number, out: number): void;
  mobiusAddCoefficients(dots: number, n: number, k: number, maxNorm: number, coef: number): void;
  expmap0BallCoefficients(sq: number, n: number, k: number, seriesThreshold: number, tanhCap: number): void;
}

/** The fields of tfjs-backend-wasm 4.x's `BackendWasm` the fused kernels use (structural: no import). */
export interface WasmBackendLike {
  wasm?: { asm?: { memory?: unknown } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): { dataId: object; shape: number[]; dtype: 'float32' };
  disposeData(dataId: object): boolean;
}

type RowKernelExports = Omit<RowKernels, 'memory'>;

const rowKernelsModule = embeddedWasmModule<RowKernelExports>(ROW_KERNELS_WASM_BASE64);
const bound = new WeakMap<WebAssembly.Memory, RowKernels>();

/**
 * The row passes bound to `backend`'s memory, or null when they cannot run there (an engine without
 * wasm SIMD, a build whose memory is not exported, or the threaded build's shared memory, which a
 * module declaring an unshared memory cannot import).
 */
export function rowKernelsFor(backend: WasmBackendLike): RowKernels | null {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const known = bound.get(memory);
  if (known !== undefined) return known;
  const exports = rowKernelsModule.instanceFor(memory);
  if (exports === null) return null;
  const kernels: RowKernels = { memory, ...exports };
  bound.set(memory, kernels);
  return kernels;
}
