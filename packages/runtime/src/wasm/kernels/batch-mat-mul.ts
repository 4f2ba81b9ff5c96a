import {
  BatchMatMul,
  type BatchMatMulAttrs,
  broadcast_util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { allocate, f32, release, transpose2d, withShape } from '../heap';
import { runOriginalKernel } from '../original-kernels';
import type { WasmBackendInternals } from '../wasm-backend-internals';
import { gemmUnpacked, unpackedGemmFor } from './unpacked-gemm';

/**
 * BatchMatMul for wasm. tfjs-backend-wasm 4.22 sends only one case to XNNPACK's fast GEMM: a single
 * matrix product without transposes; transposed operands (every dense-layer gradient) and batches
 * take a scalar loop that is 5-10x slower. This kernel transposes operands in JS (cheap: O(n^2)
 * against the product's O(n^3)) and runs each batch entry as a plain product on the fast path.
 */

/** Below this many multiply-adds per batch entry the per-call overhead outweighs the faster GEMM. */
const MIN_MACS_FOR_FAST_PATH = 4096;

/** Plain [m, k] x [k, n] product on XNNPACK (tfjs-backend-wasm's fast path). */
export function matMulPlain(backend: WasmBackendInternals, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runOriginalKernel(BatchMatMul, backend, { a, b }, { transposeA: false, transposeB: false });
}

/** Copies batch entry `index` of a [batch, rows, cols] tensor as a plain matrix (transposed if asked). */
function plainOperand(
  backend: WasmBackendInternals,
  source: TensorInfo,
  index: number,
  rows: number,
  cols: number,
  transpose: boolean,
): TensorInfo {
  const out = allocate(backend, transpose ? [cols, rows] : [rows, cols]);
  const src = f32(backend, source);
  const dst = f32(backend, out);
  const offset = index * rows * cols;
  if (transpose) transpose2d(src, offset, rows, cols, dst, 0);
  else dst.set(src.subarray(offset, offset + rows * cols));
  return out;
}

function batchMatMul(args: {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: WasmBackendInternals;
  attrs: BatchMatMulAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const [aRows, aCols] = [a.shape[aRank - 2]!, a.shape[aRank - 1]!];
  const [bRows, bCols] = [b.shape[bRank - 2]!, b.shape[bRank - 1]!];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  // Batches broadcast only as a whole (one side a single matrix), as in the backend's own kernel.
  const simpleBatches = batchA === batchB || batchA === 1 || batchB === 1;
  const fast = a.dtype === 'float32' && b.dtype === 'float32' && simpleBatches && m * k * n >= MIN_MACS_FOR_FAST_PATH;
  const simd = fast ? unpackedGemmFor(backend, n) : undefined;
  const plainAlready = !transposeA && !transposeB && batch === 1;
  if (!fast || (plainAlready && simd === undefined)) return runOriginalKernel(BatchMatMul, backend, inputs, { ...attrs });

  const outShape = [...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  if (simd !== undefined) {
    // Our SIMD GEMM reads a transposed a in place; a transposed b is transposed first (SIMD).
    const out = allocate(backend, outShape);
    for (let i = 0; i < batch; i++) {
      const ai = batchA === 1 ? 0 : i;
      const bi = batchB === 1 ? 0 : i;
      const b2 = transposeB ? plainOperand(backend, b, bi, bRows, bCols, true) : undefined;
      gemmUnpacked(simd, backend, { info: a, offset: ai * aRows * aCols, transposed: transposeA }, b2 ?? b, m, k, n, {
        bOffset: b2 === undefined ? bi * bRows * bCols : 0,
        out,
        cOffset: i * m * n,
      });
      if (b2 !== undefined) release(backend, b2);
    }
    return out;
  }
  if (batch === 1) {
    const a2 = transposeA ? plainOperand(backend, a, 0, aRows, aCols, true) : withShape(a, [m, k]);
    const b2 = transposeB ? plainOperand(backend, b, 0, bRows, bCols, true) : withShape(b, [k, n]);
    const product = matMulPlain(backend, a2, b2);
    if (transposeA) release(backend, a2);
    if (transposeB) release(backend, b2);
    return withShape(product, outShape);
  }
  const out = allocate(backend, outShape);
  for (let i = 0; i < batch; i++) {
    const a2 = plainOperand(backend, a, batchA === 1 ? 0 : i, aRows, aCols, transposeA);
    const b2 = plainOperand(backend, b, batchB === 1 ? 0 : i, bRows, bCols, transposeB);
    const product = matMulPlain(backend, a2, b2);
    f32(backend, out).set(f32(backend, product), i * m * n);
    release(backend, a2, b2, product);
  }
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
