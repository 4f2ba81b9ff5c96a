import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels, simdKernelsForView } from './simd/simd-module';
import type { WasmBackendInternals } from './wasm-backend-internals';

/**
 * Helpers for kernels written in JS over the wasm heap. Views are taken after the last allocation
 * of a kernel: an allocation may grow the heap and detach earlier views.
 */
export function f32(backend: WasmBackendInternals, info: TensorInfo): Float32Array {
  // Binds the SIMD module to this heap on first use, so that helpers given only views
  // (transpose2d) find it.
  simdKernels(backend);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** The same data seen with another shape (no copy; valid while `info` is alive). */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function allocate(backend: WasmBackendInternals, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

export function release(backend: WasmBackendInternals, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Rows x cols block of `src` starting at `srcOffset`, transposed into `dst` at `dstOffset`. */
const TRANSPOSE_TILE = 32;
export function transpose2d(
  src: Float32Array | Int32Array | Uint8Array,
  srcOffset: number,
  rows: number,
  cols: number,
  dst: Float32Array | Int32Array | Uint8Array,
  dstOffset: number,
): void {
  const simd = src instanceof Float32Array && dst.buffer === src.buffer ? simdKernelsForView(src) : undefined;
  if (simd !== undefined && rows >= 4 && cols >= 4) {
    // 4x4 blocks in our SIMD module (5x faster on [100352, 32]), the last rows and columns here.
    const rows4 = rows & ~3;
    const cols4 = cols & ~3;
    simd.transpose_blocks(src.byteOffset + srcOffset * 4, rows, cols, dst.byteOffset + dstOffset * 4, rows4, cols4);
    for (let r = 0; r < rows; r++) {
      for (let c = r < rows4 ? cols4 : 0; c < cols; c++) dst[dstOffset + c * rows + r] = src[srcOffset + r * cols + c]!;
    }
    return;
  }
  // Tiled so that both the reads and the writes stay within a few cache lines per tile.
  for (let r0 = 0; r0 < rows; r0 += TRANSPOSE_TILE) {
    const r1 = Math.min(rows, r0 + TRANSPOSE_TILE);
    for (let c0 = 0; c0 < cols; c0 += TRANSPOSE_TILE) {
      const c1 = Math.min(cols, c0 + TRANSPOSE_TILE);
      for (let c = c0; c < c1; c++) {
        const out = dstOffset + c * rows;
        for (let r = r0; r < r1; r++) dst[out + r] = src[srcOffset + r * cols + c]!;
      }
    }
  }
}
