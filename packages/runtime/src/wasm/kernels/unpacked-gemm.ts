import type { TensorInfo } from '@tensorflow/tfjs-core';
import { allocate } from '../heap';
import { pointer, type SimdKernels, simdKernels } from '../simd/simd-module';
import type { WasmBackendInternals } from '../wasm-backend-internals';

/**
 * Products on our SIMD GEMM (kernels.wat `gemm_unpacked`: register tiles, L1-sized blocks, no packing). It beat
 * tfjs-backend-wasm's XNNPACK GEMM on every training shape measured here, counting XNNPACK's
 * packing of a fresh right-hand operand at each call: [128, 3136] x [3136, 128] 2.5 against 3.9 ms,
 * [288, 6272] x [6272, 64] 5.3 against 8.8 ms, [576, 32768] x [32768, 64] 57 against 96 ms, and it
 * reads a transposed left operand in place (within 10-30% of the untransposed speed), which saves
 * a transpose.
 */

/** The SIMD kernels when a product with `n` output columns can run on them. */
export function unpackedGemmFor(backend: WasmBackendInternals, n: number): SimdKernels | undefined {
  return n % 8 === 0 ? simdKernels(backend) : undefined;
}

/** A left operand: a float32 tensor, an element offset into it, and whether it is stored as [k, m]. */
export interface GemmOperand {
  info: TensorInfo;
  offset?: number;
  transposed?: boolean;
}

/**
 * c[m, n] = a[m, k] x b[k, n] (b row-major [k, n] from element `bOffset`), written at element
 * `cOffset` of `out` (a new [m, n] tensor when omitted, which is returned).
 */
export function gemmUnpacked(
  simd: SimdKernels,
  backend: WasmBackendInternals,
  a: GemmOperand,
  b: TensorInfo,
  m: number,
  k: number,
  n: number,
  options: { bOffset?: number; out?: TensorInfo; cOffset?: number } = {},
): TensorInfo {
  const out = options.out ?? allocate(backend, [m, n]);
  const aAt = pointer(backend, a.info.dataId) + (a.offset ?? 0) * 4;
  const [rowBytes, colBytes] = a.transposed ? [4, 4 * m] : [4 * k, 4];
  const bAt = pointer(backend, b.dataId) + (options.bOffset ?? 0) * 4;
  const cAt = pointer(backend, out.dataId) + (options.cOffset ?? 0) * 4;
  simd.gemm_unpacked(aAt, rowBytes, colBytes, bAt, cAt, m, k, n);
  return out;
}
