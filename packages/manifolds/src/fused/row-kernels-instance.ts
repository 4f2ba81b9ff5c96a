/**
 * The SIMD row passes of row-kernels.wat, instantiated against tfjs-backend-wasm's own memory: the
 * module imports the backend's WebAssembly.Memory, so a tensor's heap offset is directly a pointer
 * for it. One instance per memory, made on first use.
 */
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

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, RowKernels | null>();

function compileOnce(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = Uint8Array.from(atob(ROW_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0));
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null; // no wasm SIMD in this engine: the callers fall back to tensor ops
    }
  }
  return compiled;
}

/**
 * The row passes bound to `backend`'s memory, or null when they cannot run there (an engine without
 * wasm SIMD, a build whose memory is not exported, or the threaded build's shared memory, which a
 * module declaring an unshared memory cannot import).
 */
export function rowKernelsFor(backend: WasmBackendLike): RowKernels | null {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  const module = compileOnce();
  let kernels: RowKernels | null = null;
  if (module) {
    try {
      const { exports } = new WebAssembly.Instance(module, { env: { memory } });
      kernels = { memory, ...(exports as unknown as Omit<RowKernels, 'memory'>) };
    } catch {
      kernels = null;
    }
  }
  instances.set(memory, kernels);
  return kernels;
}
