import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's `BackendWasm` our kernels use. Typed structurally so that this
 * package does not import the wasm backend (an optional peer) at load time. Every field exists in
 * tfjs-backend-wasm 4.x (dist/backend_wasm.js).
 */
export interface WasmBackendInternals extends KernelBackend {
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  /** Allocates a tensor on the wasm heap (may grow the heap and detach older views). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A live view of a tensor's memory; take views only after the last allocation of a kernel. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  /** The emscripten module; `asm.memory` is the heap every tensor lives in. */
  wasm: { asm?: { memory?: unknown } };
}
